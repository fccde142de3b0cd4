package io.github.cartrecovery.campaign;

/** Whether a campaign plans new messages and lets its planned messages go out. */
public enum CampaignStatus {
    ENABLED,
    /** Plans nothing; messages already planned are skipped at send time. */
    DISABLED
}
