package io.github.cartrecovery.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;

import javax.sql.DataSource;

/**
 * The plugin's small shared state in CR_SETTING (name to value): the activation instant, the
 * reconciliation cursors. Every node reads and writes the same rows; each call is its own transaction.
 */
public class PluginSettings {

    private final DataSource dataSource;
    private final Clock clock;

    public PluginSettings(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The value, or null when the setting was never written. */
    public String read(String name) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT VALUE FROM CR_SETTING WHERE NAME = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cart Recovery could not read setting " + name + " from CR_SETTING", e);
        }
    }

    /** Writes the value, creating the setting if needed (last writer wins). */
    public void write(String name, String value) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE CR_SETTING SET VALUE = ?, UPDATED_AT = ? WHERE NAME = ?")) {
            update.setString(1, value);
            update.setTimestamp(2, Timestamp.from(clock.instant()));
            update.setString(3, name);
            boolean updated = update.executeUpdate() > 0;
            commit(connection);
            if (!updated) {
                insertIfAbsent(name, value);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cart Recovery could not write setting " + name + " to CR_SETTING", e);
        }
    }

    /**
     * Creates the setting with this value unless it exists. Returns false when it already existed
     * (possibly written by another node a moment ago); the stored value is then left as it is.
     */
    public boolean insertIfAbsent(String name, String value) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO CR_SETTING (NAME, VALUE, UPDATED_AT) VALUES (?, ?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, value);
            insert.setTimestamp(3, Timestamp.from(clock.instant()));
            insert.executeUpdate();
            commit(connection);
            return true;
        } catch (SQLException duplicate) {
            // the primary key refused a second row: another node created the setting first
            return false;
        }
    }

    private static void commit(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }
}
