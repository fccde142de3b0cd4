package io.github.cartrecovery.delivery;

import java.util.Date;

import org.broadleafcommerce.common.presentation.AdminPresentation;
import org.broadleafcommerce.common.presentation.AdminPresentationClass;

import io.github.cartrecovery.personaldata.PersonalData;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Temporal;
import javax.persistence.TemporalType;

/** Something that happened to a planned message (table CR_MESSAGE_EVENT): SENT, SKIPPED, RETRY_SCHEDULED, FAILED... */
@AdminPresentationClass(friendlyName = "cartRecovery.event")
@Entity
@Table(name = "CR_MESSAGE_EVENT")
public class MessageEvent implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    @AdminPresentation(friendlyName = "cartRecovery.event.message", order = 1000, gridOrder = 1000, prominent = true, readOnly = true)
    @Column(name = "PLANNED_MESSAGE_ID", nullable = false)
    private Long plannedMessageId;

    @AdminPresentation(friendlyName = "cartRecovery.event.type", order = 2000, gridOrder = 2000, prominent = true, readOnly = true)
    @Column(name = "EVENT_TYPE", nullable = false, length = 24)
    private String eventType;

    @Temporal(TemporalType.TIMESTAMP)
    @AdminPresentation(friendlyName = "cartRecovery.event.occurredAt", order = 3000, gridOrder = 3000, prominent = true, readOnly = true)
    @Column(name = "OCCURRED_AT", nullable = false)
    private Date occurredAt;

    @PersonalData(PersonalData.Kind.TEXT)
    @AdminPresentation(friendlyName = "cartRecovery.event.detail", order = 4000, gridOrder = 4000, prominent = true, readOnly = true)
    @Column(name = "DETAIL", length = 1024)
    private String detail;

    protected MessageEvent() {
        // for Hibernate
    }

    public Long getId() { return id; }
    public Long getPlannedMessageId() { return plannedMessageId; }
    public String getEventType() { return eventType; }
    public Date getOccurredAt() { return occurredAt; }
    public String getDetail() { return detail; }
}
