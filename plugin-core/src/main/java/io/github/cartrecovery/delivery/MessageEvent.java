package io.github.cartrecovery.delivery;

import java.util.Date;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Temporal;
import javax.persistence.TemporalType;

/** Something that happened to a planned message (table CR_MESSAGE_EVENT): SENT, SKIPPED, RETRY_SCHEDULED, FAILED... */
@Entity
@Table(name = "CR_MESSAGE_EVENT")
public class MessageEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    @Column(name = "PLANNED_MESSAGE_ID", nullable = false)
    private Long plannedMessageId;

    @Column(name = "EVENT_TYPE", nullable = false, length = 24)
    private String eventType;

    @Temporal(TemporalType.TIMESTAMP)
    @Column(name = "OCCURRED_AT", nullable = false)
    private Date occurredAt;

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
