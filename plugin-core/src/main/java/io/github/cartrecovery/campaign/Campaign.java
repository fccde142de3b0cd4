package io.github.cartrecovery.campaign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.broadleafcommerce.common.presentation.AdminPresentation;
import org.broadleafcommerce.common.presentation.AdminPresentationClass;
import org.broadleafcommerce.common.presentation.AdminPresentationCollection;
import org.broadleafcommerce.common.presentation.RequiredOverride;
import org.broadleafcommerce.common.presentation.client.SupportedFieldType;

import javax.persistence.CascadeType;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.OneToMany;
import javax.persistence.OrderBy;
import javax.persistence.Table;
import javax.persistence.Temporal;
import javax.persistence.TemporalType;

/**
 * A recovery campaign (table CR_CAMPAIGN): an audience (all conditions must match), a priority (the
 * highest matching enabled campaign wins; ties go to the lower id), an optional date range and an
 * ordered sequence of steps. The default campaign (id -1) is seeded by Liquibase.
 */
@AdminPresentationClass(friendlyName = "cartRecovery.campaign")
@Entity
@Table(name = "CR_CAMPAIGN")
public class Campaign implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    @AdminPresentation(friendlyName = "cartRecovery.campaign.name", order = 1000, gridOrder = 1000, prominent = true, requiredOverride = RequiredOverride.REQUIRED)
    @Column(name = "NAME", nullable = false, length = 255)
    private String name;

    @Enumerated(EnumType.STRING)
    @AdminPresentation(friendlyName = "cartRecovery.campaign.status", order = 2000, gridOrder = 2000, prominent = true, fieldType = SupportedFieldType.STRING, readOnly = true, tooltip = "cartRecovery.campaign.status.tooltip")
    @Column(name = "STATUS", nullable = false, length = 16)
    private CampaignStatus status = CampaignStatus.ENABLED;

    @AdminPresentation(friendlyName = "cartRecovery.campaign.priority", order = 3000, gridOrder = 3000, prominent = true)
    @Column(name = "PRIORITY", nullable = false)
    private int priority;

    @Enumerated(EnumType.STRING)
    @AdminPresentation(friendlyName = "cartRecovery.campaign.triggerType", order = 3500, gridOrder = 3500, prominent = true, fieldType = SupportedFieldType.STRING, readOnly = true)
    @Column(name = "TRIGGER_TYPE", nullable = false, length = 24)
    private TriggerType triggerType = TriggerType.ABANDONED_CART;

    @Temporal(TemporalType.TIMESTAMP)
    @AdminPresentation(friendlyName = "cartRecovery.campaign.startsAt", order = 4000)
    @Column(name = "STARTS_AT")
    private Date startsAt;

    @Temporal(TemporalType.TIMESTAMP)
    @AdminPresentation(friendlyName = "cartRecovery.campaign.endsAt", order = 5000)
    @Column(name = "ENDS_AT")
    private Date endsAt;

    @Temporal(TemporalType.TIMESTAMP)
    @AdminPresentation(friendlyName = "cartRecovery.campaign.createdAt", order = 6000, readOnly = true, requiredOverride = RequiredOverride.NOT_REQUIRED)
    @Column(name = "CREATED_AT", nullable = false)
    private Date createdAt;

    @Temporal(TemporalType.TIMESTAMP)
    @AdminPresentation(friendlyName = "cartRecovery.campaign.updatedAt", order = 7000, readOnly = true, requiredOverride = RequiredOverride.NOT_REQUIRED)
    @Column(name = "UPDATED_AT", nullable = false)
    private Date updatedAt;

    @AdminPresentationCollection(friendlyName = "cartRecovery.campaign.steps", order = 1000)
    @OneToMany(mappedBy = "campaign", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.EAGER)
    @OrderBy("stepNo")
    private List<CampaignStep> steps = new ArrayList<CampaignStep>();

    @AdminPresentationCollection(friendlyName = "cartRecovery.campaign.conditions", order = 2000)
    @OneToMany(mappedBy = "campaign", cascade = CascadeType.ALL, orphanRemoval = true)
    private List<CampaignCondition> conditions = new ArrayList<CampaignCondition>();

    /** For Hibernate and Broadleaf's admin (which creates new rows reflectively). */
    public Campaign() {
        // for Hibernate
    }

    public Campaign(Long id, String name, CampaignStatus status, int priority, Instant createdAt) {
        this.id = id;
        this.name = name;
        this.status = status;
        this.priority = priority;
        this.createdAt = Date.from(createdAt);
        this.updatedAt = Date.from(createdAt);
    }

    /**
     * A new, DISABLED campaign with this name and everything else of this one: priority, active period, every step
     * (delay, channel, template, subjects, coupon policy, send-time conditions) and audience condition, all new rows.
     */
    public Campaign copyNamed(String copyName, Instant now) {
        Campaign copy = new Campaign(null, copyName, CampaignStatus.DISABLED, priority, now);
        copy.startsAt = startsAt == null ? null : new Date(startsAt.getTime());
        copy.endsAt = endsAt == null ? null : new Date(endsAt.getTime());
        copy.triggerType = triggerType;
        for (CampaignStep step : steps) {
            copy.addStep(step.copy());
        }
        for (CampaignCondition condition : conditions) {
            copy.addCondition(new CampaignCondition(condition.getType(), condition.getCurrencyCode(),
                    condition.getNumberValue(), condition.getTextValue()));
        }
        return copy;
    }

    public Campaign addStep(CampaignStep step) {
        step.attachTo(this);
        steps.add(step);
        return this;
    }

    public Campaign addCondition(CampaignCondition condition) {
        condition.attachTo(this);
        conditions.add(condition);
        return this;
    }

    /** The moment this campaign answers; null means an abandoned cart. */
    public Campaign triggeredBy(TriggerType trigger) {
        this.triggerType = trigger == null ? TriggerType.ABANDONED_CART : trigger;
        return this;
    }

    public Campaign activeBetween(Instant from, Instant until) {
        this.startsAt = from == null ? null : Date.from(from);
        this.endsAt = until == null ? null : Date.from(until);
        return this;
    }

    /**
     * Marks a change: UPDATED_AT moves to {@code at}, and always forward (delivery's step cache compares it,
     * so two saves within one clock tick must still differ).
     */
    void touch(Instant at) {
        long next = Math.max(at.toEpochMilli(), updatedAt == null ? Long.MIN_VALUE : updatedAt.getTime() + 1);
        this.updatedAt = new Date(next);
    }

    /**
     * Campaigns added on Broadleaf's generic admin screen get their creation and edit times here (an edit
     * there that keeps UPDATED_AT reaches delivery's step cache when its entries expire).
     */
    @javax.persistence.PrePersist
    @javax.persistence.PreUpdate
    void stampTimes() {
        Date now = new Date();
        if (createdAt == null) {
            createdAt = now;
        }
        if (updatedAt == null) {
            updatedAt = now;
        }
    }

    /** Records an edit (the admin's campaign editor); UPDATED_AT only moves forward. */
    public Campaign editedAt(Instant at) {
        touch(at);
        return this;
    }

    /** Enabled, inside its date range (if any) and every condition matches. */
    public boolean appliesTo(AudienceFacts facts, Instant now) {
        if (status != CampaignStatus.ENABLED || steps.isEmpty()) {
            return false;
        }
        if (startsAt != null && now.isBefore(startsAt.toInstant())) {
            return false;
        }
        if (endsAt != null && !now.isBefore(endsAt.toInstant())) {
            return false;
        }
        for (CampaignCondition condition : conditions) {
            if (!condition.matches(facts)) {
                return false;
            }
        }
        return true;
    }

    public Long getId() { return id; }
    public String getName() { return name; }
    public CampaignStatus getStatus() { return status; }
    public int getPriority() { return priority; }
    public TriggerType getTriggerType() { return triggerType; }
    public Date getStartsAt() { return startsAt; }
    public Date getEndsAt() { return endsAt; }
    public Date getCreatedAt() { return createdAt; }
    public Date getUpdatedAt() { return updatedAt; }
    public List<CampaignStep> getSteps() { return steps; }
    public List<CampaignCondition> getConditions() { return conditions; }
}
