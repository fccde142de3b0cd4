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

/**
 * An address never emailed again (table CR_SUPPRESSION; lower-cased, unique). Written by delivery on a
 * permanent SMTP failure (reason BOUNCED); later by the storefront unsubscribe and the admin screens.
 */
@Entity
@Table(name = "CR_SUPPRESSION")
public class Suppression {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    @Column(name = "EMAIL", nullable = false, length = 254)
    private String email;

    @Column(name = "REASON", nullable = false, length = 32)
    private String reason;

    @Column(name = "SOURCE", length = 255)
    private String source;

    @Temporal(TemporalType.TIMESTAMP)
    @Column(name = "CREATED_AT", nullable = false)
    private Date createdAt;

    protected Suppression() {
        // for Hibernate
    }

    public Suppression(String email, String reason, String source, Date createdAt) {
        this.email = email.trim().toLowerCase(java.util.Locale.ROOT);
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
