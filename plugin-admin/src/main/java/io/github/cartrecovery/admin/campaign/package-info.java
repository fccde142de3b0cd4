/**
 * Host edge for campaigns on Broadleaf's generic admin screens: those screens are read-only
 * ({@link io.github.cartrecovery.admin.campaign.CampaignScreenReadOnly}), so every save goes through the campaign
 * editor; a validator applies the editor's step-condition rules there too.
 */
package io.github.cartrecovery.admin.campaign;
