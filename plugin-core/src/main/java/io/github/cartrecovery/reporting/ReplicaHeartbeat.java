package io.github.cartrecovery.reporting;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The row that tells how far a read replica is behind: CR_SETTING REPLICA_HEARTBEAT holds the instant (ISO-8601, the
 * writing node's clock) at which the primary last wrote it. The report rollup job writes it on the primary at the
 * start of every run, whether or not there is anything to roll up; a replica has replayed every commit up to the
 * heartbeat it shows, so {@code now - heartbeat read on the replica} is an upper bound of its lag, exact to one
 * rollup interval. It stays right on an idle primary (the heartbeat keeps coming although nothing else is written)
 * and on a busy one (the heartbeat waits in the replica's replay queue behind everything written before it), and it
 * needs no privileges and nothing database-specific.
 */
public final class ReplicaHeartbeat {

    public static final String SETTING = "REPLICA_HEARTBEAT";

    private ReplicaHeartbeat() {
    }

    /** Writes the heartbeat (on the primary: the only place anything is written). The row is Liquibase 1.2/026's. */
    public static void beat(JdbcTemplate primary, Instant now) {
        primary.update("UPDATE CR_SETTING SET VALUE = ?, UPDATED_AT = ? WHERE NAME = ?", now.toString(),
                new Timestamp(now.toEpochMilli()), SETTING);
    }

    /** The last heartbeat this database has, or null when it has none (yet). */
    public static Instant read(JdbcTemplate database) {
        List<String> values = database.queryForList("SELECT VALUE FROM CR_SETTING WHERE NAME = ?", String.class, SETTING);
        if (values.isEmpty() || values.get(0) == null) {
            return null;
        }
        try {
            return Instant.parse(values.get(0).trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
