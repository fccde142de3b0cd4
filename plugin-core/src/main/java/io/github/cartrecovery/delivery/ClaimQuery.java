package io.github.cartrecovery.delivery;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.database.Database;

/**
 * Claims due planned messages for one node: moves up to {@code max} rows with STATUS 'PLANNED' and
 * DUE_AT <= now of one channel to 'CLAIMED', owned by {@code owner} until {@code leaseUntil}, and returns their ids.
 * Runs inside the caller's transaction; two nodes never get the same row. Uses index
 * IX_CR_PLANNED_CHANNEL_DUE (STATUS, CHANNEL, DUE_AT). One small subclass per database, chosen by {@link #detect(DataSource)}.
 */
public abstract class ClaimQuery {

    public abstract List<Long> claim(JdbcTemplate jdbc, String channel, String owner, Instant now, Instant leaseUntil,
                                     int max);

    /**
     * Whether this database records a hand-over of one message (the previous one SENT with its event, the next one
     * SENDING) in one statement ({@code PlannedMessages.sentThenSending}) rather than three.
     */
    public boolean handsOverInOneStatement() {
        return false;
    }

    /** PostgreSQL for PostgreSQL, MariaDB 10.6+ / MySQL 8+ with SKIP LOCKED, else a portable conditional update. */
    public static ClaimQuery detect(DataSource dataSource) throws SQLException {
        Database database = Database.of(dataSource);
        if (database.kind() == Database.Kind.POSTGRESQL) {
            return new PostgreSqlClaim();
        }
        return database.skipsLockedRows() ? new MariaDbClaim() : new ConditionalUpdateClaim();
    }

    static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }
}
