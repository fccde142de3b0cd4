package io.github.cartrecovery.campaign;

import java.util.List;

import javax.persistence.EntityManager;
import javax.persistence.PersistenceContext;

import org.springframework.transaction.annotation.Transactional;

/** Reads campaigns, fully loaded (steps, subjects, conditions), so callers can use them detached. */
public class CampaignRepository {

    @PersistenceContext(unitName = "blPU")
    private EntityManager entityManager;

    /** Enabled campaigns, highest priority first, ties by lower id. */
    @Transactional(value = "blTransactionManager", readOnly = true)
    public List<Campaign> enabledByPriority() {
        List<Campaign> campaigns = entityManager.createQuery(
                "select distinct c from Campaign c where c.status = :status order by c.priority desc, c.id asc",
                Campaign.class)
                .setParameter("status", CampaignStatus.ENABLED)
                .getResultList();
        for (Campaign campaign : campaigns) {
            campaign.getConditions().size();
            for (CampaignStep step : campaign.getSteps()) {
                step.getSubjects().size();
            }
        }
        return campaigns;
    }

    @Transactional(value = "blTransactionManager", readOnly = true)
    public CampaignStep step(long stepId) {
        CampaignStep step = entityManager.find(CampaignStep.class, stepId);
        if (step != null) {
            step.getSubjects().size();
        }
        return step;
    }
}
