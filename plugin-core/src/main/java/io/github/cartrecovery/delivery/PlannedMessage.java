package io.github.cartrecovery.delivery;

import java.util.Date;

import org.broadleafcommerce.common.presentation.AdminPresentation;
import org.broadleafcommerce.common.presentation.AdminPresentationClass;
import org.broadleafcommerce.common.presentation.client.SupportedFieldType;

import io.github.cartrecovery.personaldata.PersonalData;

import io.github.cartrecovery.messages.MessageStatus;

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
@AdminPresentationClass(friendlyName = "cartRecovery.message")
@Entity
@Table(name = "CR_PLANNED_MESSAGE")
public class PlannedMessage implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    @AdminPresentation(friendlyName = "cartRecovery.message.orderId", order = 1000, gridOrder = 1000, prominent = true, readOnly = true)
    @Column(name = "ORDER_ID", nullable = false)
    private Long orderId;

    @AdminPresentation(friendlyName = "cartRecovery.message.campaignId", order = 2000, gridOrder = 2000, prominent = true, readOnly = true)
    @Column(name = "CAMPAIGN_ID", nullable = false)
    private Long campaignId;

    @Column(name = "STEP_ID", nullable = false)
    private Long stepId;

    @AdminPresentation(friendlyName = "cartRecovery.message.stepNo", order = 3000, gridOrder = 3000, prominent = true, readOnly = true)
    @Column(name = "STEP_NO", nullable = false)
    private int stepNo;

    @PersonalData(PersonalData.Kind.EMAIL)
    @AdminPresentation(friendlyName = "cartRecovery.message.email", order = 4000, readOnly = true)
    @Column(name = "EMAIL", nullable = false, length = 254)
    private String email;

    @Column(name = "LOCALE_CODE", length = 16)
    private String localeCode;

    @AdminPresentation(friendlyName = "cartRecovery.message.channel", order = 4500, gridOrder = 3500, prominent = true, readOnly = true)
    @Column(name = "CHANNEL", nullable = false, length = 16)
    private String channel;

    @AdminPresentation(friendlyName = "cartRecovery.message.providerRef", order = 11500, readOnly = true)
    @Column(name = "PROVIDER_REF", length = 64)
    private String providerRef;

    @Enumerated(EnumType.STRING)
    @AdminPresentation(friendlyName = "cartRecovery.message.status", order = 5000, gridOrder = 4000, prominent = true, readOnly = true, fieldType = SupportedFieldType.STRING)
    @Column(name = "STATUS", nullable = false, length = 16)
    private MessageStatus status;

    @Temporal(TemporalType.TIMESTAMP)
    @AdminPresentation(friendlyName = "cartRecovery.message.dueAt", order = 6000, gridOrder = 5000, prominent = true, readOnly = true)
    @Column(name = "DUE_AT", nullable = false)
    private Date dueAt;

    @AdminPresentation(friendlyName = "cartRecovery.message.attempts", order = 7000, readOnly = true)
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
    @AdminPresentation(friendlyName = "cartRecovery.message.sentAt", order = 8000, gridOrder = 6000, prominent = true, readOnly = true)
    @Column(name = "SENT_AT")
    private Date sentAt;

    @AdminPresentation(friendlyName = "cartRecovery.message.outcome", order = 9000, readOnly = true)
    @Column(name = "OUTCOME", length = 32)
    private String outcome;

    @PersonalData(PersonalData.Kind.TEXT)
    @AdminPresentation(friendlyName = "cartRecovery.message.lastError", order = 10000, readOnly = true)
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
    public String getChannel() { return channel; }
    public String getProviderRef() { return providerRef; }
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
