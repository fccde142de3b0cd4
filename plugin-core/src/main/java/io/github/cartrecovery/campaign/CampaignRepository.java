package io.github.cartrecovery.campaign;

import java.time.Clock;
import java.util.List;

import javax.persistence.EntityManager;
import javax.persistence.PersistenceContext;

import org.springframework.transaction.annotation.Transactional;

/**
 * Reads campaigns fully loaded (steps, subjects, conditions, step conditions) so callers can use them detached; saves
 * validated ones.
 */
public class CampaignRepository {

    @PersistenceContext(unitName = "blPU")
    private EntityManager entityManager;

    private final CampaignValidator validator;
    private final Clock clock;

    public CampaignRepository(CampaignValidator validator, Clock clock) {
        this.validator = validator;
        this.clock = clock;
    }

    /** Only for Spring 3.2's class-based transaction proxy, which delegates every call to the real bean. */
    protected CampaignRepository() {
        this(null, null);
    }

    /**
     * Validates ({@link InvalidCampaignException} names every problem, and a name another campaign has) and
     * saves; nothing is written when invalid. Moves UPDATED_AT forward, which tells every node's
     * {@link CampaignStepCache} the steps changed.
     */
    @Transactional("blTransactionManager")
    public Campaign save(Campaign campaign) {
        validator.check(campaign);
        // NAME is unique (UQ_CR_CAMPAIGN_NAME, case-insensitive under MariaDB's collation): say so instead of failing at commit
        Long sameName = entityManager.createQuery("select count(c) from Campaign c where lower(c.name) = lower(:name) and c.id <> :id",
                        Long.class)
                .setParameter("name", campaign.getName())
                .setParameter("id", campaign.getId() == null ? Long.valueOf(-1L) : campaign.getId())
                .getSingleResult();
        if (sameName > 0) {
            throw new InvalidCampaignException(campaign.getName(), java.util.Collections.singletonList(
                    "name: another campaign is already called '" + campaign.getName() + "'"));
        }
        campaign.touch(clock.instant());
        if (campaign.getId() == null) {
            entityManager.persist(campaign);
            return campaign;
        }
        removeDroppedSteps(campaign);
        return entityManager.merge(campaign);
    }

    /**
     * Deletes the steps the edit drops, and parks the renumbered ones, before the edit is merged: Hibernate inserts new rows before it deletes
     * orphans, so a new step taking a dropped step's number would break UQ_CR_STEP_CAMPAIGN_NO. A step id that is
     * not one of this campaign's steps is refused (merging it would move another campaign's step here).
     */
    private void removeDroppedSteps(Campaign edited) {
        Campaign current = entityManager.find(Campaign.class, edited.getId());
        if (current == null) {
            return;
        }
        java.util.Set<Long> own = new java.util.HashSet<Long>();
        for (CampaignStep step : current.getSteps()) {
            own.add(step.getId());
        }
        java.util.Set<Long> kept = new java.util.HashSet<Long>();
        java.util.List<String> foreign = new java.util.ArrayList<String>();
        for (CampaignStep step : edited.getSteps()) {
            if (step.getId() != null) {
                kept.add(step.getId());
                if (!own.contains(step.getId())) {
                    foreign.add("steps[" + step.getStepNo() + "].id: " + step.getId() + " is not a step of this campaign");
                }
            }
        }
        if (!foreign.isEmpty()) {
            throw new InvalidCampaignException(edited.getName(), foreign);
        }
        boolean dropped = false;
        for (java.util.Iterator<CampaignStep> steps = current.getSteps().iterator(); steps.hasNext(); ) {
            if (!kept.contains(steps.next().getId())) {
                steps.remove();
                dropped = true;
            }
        }
        // steps that change their number (moved or renumbered in the editor) first take a number no step uses (below 0),
        // so neither their new numbers nor new steps (inserted before updates) meet an old number under the constraint
        java.util.Map<Long, Integer> newNumbers = new java.util.HashMap<Long, Integer>();
        for (CampaignStep step : edited.getSteps()) {
            if (step.getId() != null) {
                newNumbers.put(step.getId(), step.getStepNo());
            }
        }
        boolean parked = false;
        for (CampaignStep step : current.getSteps()) {
            Integer next = newNumbers.get(step.getId());
            if (next != null && next != step.getStepNo()) {
                step.renumber(-step.getStepNo() - 1);
                parked = true;
            }
        }
        if (dropped || parked) {
            entityManager.flush();
        }
    }

    /** Enabled abandoned-cart campaigns, highest priority first, ties by lower id. */
    @Transactional(value = "blTransactionManager", readOnly = true)
    public List<Campaign> enabledByPriority() {
        return enabledByPriority(TriggerType.ABANDONED_CART);
    }

    /** Enabled campaigns of one trigger type, highest priority first, ties by lower id. */
    @Transactional(value = "blTransactionManager", readOnly = true)
    public List<Campaign> enabledByPriority(TriggerType trigger) {
        List<Campaign> campaigns = entityManager.createQuery(
                "select distinct c from Campaign c where c.status = :status and c.triggerType = :trigger "
                        + "order by c.priority desc, c.id asc",
                Campaign.class)
                .setParameter("status", CampaignStatus.ENABLED)
                .setParameter("trigger", trigger)
                .getResultList();
        for (Campaign campaign : campaigns) {
            loadCollections(campaign);
        }
        return campaigns;
    }

    /** Every campaign's name by id, in name order (the admin's campaign picker). */
    @Transactional(value = "blTransactionManager", readOnly = true)
    public java.util.Map<Long, String> names() {
        java.util.Map<Long, String> names = new java.util.LinkedHashMap<Long, String>();
        for (Object[] row : entityManager.createQuery("select c.id, c.name from Campaign c order by c.name, c.id", Object[].class)
                .getResultList()) {
            names.put((Long) row[0], (String) row[1]);
        }
        return names;
    }

    /** One campaign with its steps, subjects and conditions loaded, or null. */
    @Transactional(value = "blTransactionManager", readOnly = true)
    public Campaign find(long campaignId) {
        // A query, not entityManager.find: find() would outer-join the eager steps and subjects and repeat a
        // step once per subject; a query loads the collections with their own selects.
        List<Campaign> found = entityManager.createQuery("select c from Campaign c where c.id = :id", Campaign.class)
                .setParameter("id", campaignId)
                .getResultList();
        Campaign campaign = found.isEmpty() ? null : found.get(0);
        if (campaign != null) {
            loadCollections(campaign);
        }
        return campaign;
    }

    /** Conditions, subjects and step conditions, so the campaign can be used detached. */
    private static void loadCollections(Campaign campaign) {
        campaign.getConditions().size();
        for (CampaignStep step : campaign.getSteps()) {
            step.getSubjects().size();
            step.getConditions().size();
        }
    }

    @Transactional(value = "blTransactionManager", readOnly = true)
    public CampaignStep step(long stepId) {
        CampaignStep step = entityManager.find(CampaignStep.class, stepId);
        if (step != null) {
            step.getSubjects().size();
            step.getConditions().size();
        }
        return step;
    }
}
