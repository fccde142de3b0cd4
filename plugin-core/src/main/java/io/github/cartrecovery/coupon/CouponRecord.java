package io.github.cartrecovery.coupon;

import java.util.Date;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Temporal;
import javax.persistence.TemporalType;

/**
 * An issued coupon (table CR_COUPON), mapped for reading (admin, reports). Written with plain SQL by
 * {@link CouponRecords}, whose conditional updates must be visible statements.
 */
@Entity
@Table(name = "CR_COUPON")
public class CouponRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    @Column(name = "PLANNED_MESSAGE_ID", nullable = false)
    private Long plannedMessageId;

    @Column(name = "ORDER_ID", nullable = false)
    private Long orderId;

    @Column(name = "EMAIL", nullable = false, length = 254)
    private String email;

    @Column(name = "OFFER_ID", nullable = false)
    private Long offerId;

    @Column(name = "OFFER_CODE_ID", nullable = false)
    private Long offerCodeId;

    @Column(name = "CODE", nullable = false, length = 64)
    private String code;

    @Column(name = "STATUS", nullable = false, length = 16)
    private String status;

    @Temporal(TemporalType.TIMESTAMP)
    @Column(name = "ISSUED_AT", nullable = false)
    private Date issuedAt;

    @Temporal(TemporalType.TIMESTAMP)
    @Column(name = "EXPIRES_AT", nullable = false)
    private Date expiresAt;

    @Temporal(TemporalType.TIMESTAMP)
    @Column(name = "CLOSED_AT")
    private Date closedAt;

    protected CouponRecord() {
        // for Hibernate
    }

    public Long getId() { return id; }
    public Long getPlannedMessageId() { return plannedMessageId; }
    public Long getOrderId() { return orderId; }
    public String getEmail() { return email; }
    public Long getOfferId() { return offerId; }
    public Long getOfferCodeId() { return offerCodeId; }
    public String getCode() { return code; }
    public String getStatus() { return status; }
    public Date getIssuedAt() { return issuedAt; }
    public Date getExpiresAt() { return expiresAt; }
    public Date getClosedAt() { return closedAt; }
}
