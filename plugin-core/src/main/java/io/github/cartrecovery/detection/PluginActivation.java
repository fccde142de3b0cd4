package io.github.cartrecovery.detection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import javax.sql.DataSource;

/**
 * When the plugin was first switched on in this store (CR_SETTING.ACTIVATED_AT, written once by the
 * first node to start). Carts idle since before then belong to the store's history and are never
 * abandoned, so installing the plugin does not email every old cart.
 */
public class PluginActivation {

    static final String ACTIVATED_AT = "ACTIVATED_AT";

    private final DataSource dataSource;
    private final Clock clock;
    private volatile Instant activatedAt;

    public PluginActivation(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The activation instant, recording now as the activation on the very first call in this store. */
    public Instant activatedAt() {
        Instant known = activatedAt;
        if (known != null) {
            return known;
        }
        try {
            Instant stored = read();
            if (stored == null) {
                insert(clock.instant());
                stored = read(); // another node may have won the insert
            }
            activatedAt = stored;
            return stored;
        } catch (SQLException e) {
            throw new IllegalStateException("Cart Recovery could not read its activation time from CR_SETTING", e);
        }
    }

    private Instant read() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT VALUE FROM CR_SETTING WHERE NAME = ?")) {
            select.setString(1, ACTIVATED_AT);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Instant.parse(row.getString(1)) : null;
            }
        }
    }

    private void insert(Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO CR_SETTING (NAME, VALUE, UPDATED_AT) VALUES (?, ?, ?)")) {
            insert.setString(1, ACTIVATED_AT);
            insert.setString(2, now.toString());
            insert.setTimestamp(3, Timestamp.from(now));
            insert.executeUpdate();
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException duplicate) {
            // the primary key refused a second activation: fine, read what the first node wrote
        }
    }
}
