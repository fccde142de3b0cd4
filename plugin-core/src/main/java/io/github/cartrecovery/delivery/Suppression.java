package io.github.cartrecovery.delivery;

import java.util.Date;

import org.broadleafcommerce.common.presentation.AdminPresentation;
import org.broadleafcommerce.common.presentation.AdminPresentationClass;
import org.broadleafcommerce.common.presentation.RequiredOverride;

import io.github.cartrecovery.personaldata.PersonalData;
import io.github.cartrecovery.suppression.SuppressedAddress;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Temporal;
import javax.persistence.TemporalType;

/**
 * An address never emailed again (table CR_SUPPRESSION; unique, always in {@link SuppressedAddress}'s form), as
 * Broadleaf's admin screen reads and writes it. The plugin's own writes (the unsubscribe, bounces, erasure) go
 * through {@link io.github.cartrecovery.suppression.Suppressions}.
 */
@AdminPresentationClass(friendlyName = "cartRecovery.suppression")
@Entity
@Table(name = "CR_SUPPRESSION")
public class Suppression implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    @PersonalData(PersonalData.Kind.EMAIL)
    @AdminPresentation(friendlyName = "cartRecovery.suppression.email", order = 1000, gridOrder = 1000, prominent = true, requiredOverride = RequiredOverride.REQUIRED)
    @Column(name = "EMAIL", nullable = false, length = 254)
    private String email;

    @AdminPresentation(friendlyName = "cartRecovery.suppression.reason", order = 2000, gridOrder = 2000, prominent = true, requiredOverride = RequiredOverride.REQUIRED)
    @Column(name = "REASON", nullable = false, length = 32)
    private String reason;

    @PersonalData(PersonalData.Kind.TEXT)
    @AdminPresentation(friendlyName = "cartRecovery.suppression.source", order = 3000, gridOrder = 3000, prominent = true)
    @Column(name = "SOURCE", length = 255)
    private String source;

    @Temporal(TemporalType.TIMESTAMP)
    @AdminPresentation(friendlyName = "cartRecovery.suppression.createdAt", order = 4000, gridOrder = 4000, prominent = true, readOnly = true, requiredOverride = RequiredOverride.NOT_REQUIRED)
    @Column(name = "CREATED_AT", nullable = false)
    private Date createdAt;

    /** For Hibernate and Broadleaf's admin (which creates new rows reflectively). */
    public Suppression() {
        // for Hibernate
    }

    /**
     * Broadleaf's admin sets the fields reflectively, past the constructor: the address is normalised here, on
     * every insert and update, and rows it adds (leaving the read-only CREATED_AT empty) get the time of insert.
     */
    @javax.persistence.PrePersist
    @javax.persistence.PreUpdate
    void beforeWrite() {
        email = SuppressedAddress.of(email);
        if (createdAt == null) {
            createdAt = new Date();
        }
    }

    public Suppression(String email, String reason, String source, Date createdAt) {
        this.email = SuppressedAddress.of(email);
        this.reason = reason;
        this.source = source;
        this.createdAt = createdAt;
    }

    public Long getId() { return id; }
    public String getEmail() { return email; }
    public String getReason() { return reason; }
    public String getSource() { return source; }
    public Date getCreatedAt() { return createdAt; }
}
