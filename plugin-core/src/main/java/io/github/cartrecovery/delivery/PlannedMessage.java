package io.github.cartrecovery.delivery;

import java.util.Date;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Temporal;
import javax.persistence.TemporalType;

/**
 * A planned message (table CR_PLANNED_MESSAGE), mapped for reading (reports, admin). Planning and
 * delivery write these rows with plain SQL ({@code RecoveryPlanner}, {@link MessageDelivery}) because
 * their claims and conditional updates must be visible statements.
 */
@Entity
@Table(name = "CR_PLANNED_MESSAGE")
public class PlannedMessage {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    @Column(name = "ORDER_ID", nullable = false)
    private Long orderId;

    @Column(name = "CAMPAIGN_ID", nullable = false)
    private Long campaignId;

    @Column(name = "STEP_ID", nullable = false)
    private Long stepId;

    @Column(name = "STEP_NO", nullable = false)
    private int stepNo;

    @Column(name = "EMAIL", nullable = false, length = 254)
    private String email;

    @Column(name = "LOCALE_CODE", length = 16)
    private String localeCode;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATUS", nullable = false, length = 16)
    private MessageStatus status;

    @Temporal(TemporalType.TIMESTAMP)
    @Column(name = "DUE_AT", nullable = false)
    private Date dueAt;

    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;

    @Column(name = "CLAIMED_BY", length = 64)
    private String claimedBy;

    @Temporal(TemporalType.TIMESTAMP)
    @Column(name = "LEASE_UNTIL")
    private Date leaseUntil;

    @Column(name = "MESSAGE_ID", length = 255)
    private String messageId;

    @Temporal(TemporalType.TIMESTAMP)
    @Column(name = "SENT_AT")
    private Date sentAt;

    @Column(name = "OUTCOME", length = 32)
    private String outcome;

    @Column(name = "LAST_ERROR", length = 1024)
    private String lastError;

    @Temporal(TemporalType.TIMESTAMP)
    @Column(name = "CREATED_AT", nullable = false)
    private Date createdAt;

    @Temporal(TemporalType.TIMESTAMP)
    @Column(name = "UPDATED_AT", nullable = false)
    private Date updatedAt;

    protected PlannedMessage() {
        // for Hibernate
    }

    public Long getId() { return id; }
    public Long getOrderId() { return orderId; }
    public Long getCampaignId() { return campaignId; }
    public Long getStepId() { return stepId; }
    public int getStepNo() { return stepNo; }
    public String getEmail() { return email; }
    public String getLocaleCode() { return localeCode; }
    public MessageStatus getStatus() { return status; }
    public Date getDueAt() { return dueAt; }
    public int getAttempts() { return attempts; }
    public String getClaimedBy() { return claimedBy; }
    public Date getLeaseUntil() { return leaseUntil; }
    public String getMessageId() { return messageId; }
    public Date getSentAt() { return sentAt; }
    public String getOutcome() { return outcome; }
    public String getLastError() { return lastError; }
    public Date getCreatedAt() { return createdAt; }
    public Date getUpdatedAt() { return updatedAt; }
}
