package io.github.cartrecovery.reporting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

import io.github.cartrecovery.database.SqlFailures;

/**
 * Where the report pages, the CSV export and the abandoned-cart list read: the read replica while it answers and its
 * heartbeat ({@link ReplicaHeartbeat}) is at most {@code maxLag} old, otherwise the primary. Only reads come here;
 * everything the plugin writes (rollups and the heartbeat included) uses the primary's datasource directly.
 * <p>
 * The replica is checked (one primary-key read of its heartbeat) at most once per {@code checkInterval} of the
 * plugin's clock; the answer, including "unreachable", is kept until the next check, so a dead replica costs one
 * connection timeout per interval, not one per page. A read the replica fails (it went away between two checks, or
 * cancelled the query) is run again on the primary and the replica is left alone until the next check. Every read
 * returns the {@link ReadSource} it used, so a page can say where its numbers come from. Safe for concurrent use.
 */
public class ReportingDatabase {

    private static final Log LOG = LogFactory.getLog(ReportingDatabase.class);

    /** A read, run against whichever database {@link #read} chooses. */
    public interface Query<T> {
        T run(JdbcTemplate database);
    }

    private final JdbcTemplate primary;
    private final JdbcTemplate replica;
    private final JdbcTemplate replicaCheck;
    private final Clock clock;
    private final Duration maxLag;
    private final Duration checkInterval;
    private volatile Checked last;

    /**
     * @param replica         the read replica, or null when there is none (then every read goes to the primary)
     * @param maxLag          the oldest heartbeat the replica may show and still be read
     * @param checkInterval   how long one check's answer is kept
     * @param checkTimeout    the longest the heartbeat query may take on the replica
     */
    public ReportingDatabase(DataSource primary, DataSource replica, Clock clock, Duration maxLag, Duration checkInterval,
                             Duration checkTimeout) {
        if (maxLag.isNegative() || maxLag.isZero()) {
            throw new IllegalArgumentException("cartrecovery.reporting.replica.max-lag-seconds must be at least 1, was "
                    + maxLag.getSeconds());
        }
        if (checkInterval.isNegative()) {
            throw new IllegalArgumentException("cartrecovery.reporting.replica.check-interval-seconds must not be negative, was "
                    + checkInterval.getSeconds());
        }
        this.primary = new JdbcTemplate(primary);
        this.replica = replica == null ? null : replicaTemplate(replica);
        this.replicaCheck = replica == null ? null : replicaTemplate(replica);
        if (replicaCheck != null) {
            replicaCheck.setQueryTimeout((int) Math.max(1, checkTimeout.getSeconds()));
        }
        this.clock = clock;
        this.maxLag = maxLag;
        this.checkInterval = checkInterval;
    }

    /**
     * Spring's default translator asks the datasource for its metadata to translate the first failure: on a dead replica
     * that is a second connection timeout, at every failure. The SQLSTATE alone is enough to tell unreachable from refused.
     */
    private static JdbcTemplate replicaTemplate(DataSource replica) {
        JdbcTemplate template = new JdbcTemplate(replica);
        template.setExceptionTranslator(new SQLStateSQLExceptionTranslator());
        return template;
    }

    /** Every read on the primary: a store without a replica. */
    public static ReportingDatabase primaryOnly(DataSource primary) {
        return new ReportingDatabase(primary, null, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO);
    }

    /** Runs the query on the replica when it is usable, else on the primary; says which. */
    public <T> Read<T> read(Query<T> query) {
        ReadSource source = source();
        if (source.isReplica()) {
            try {
                return new Read<T>(query.run(replica), source);
            } catch (DataAccessException failure) {
                source = remember(ReadSource.fallback(SqlFailures.isUnavailable(failure)
                        ? "the read replica became unreachable (" + SqlFailures.reason(failure) + ")"
                        : "the read replica refused the read (" + SqlFailures.reason(failure) + ")"), clock.instant());
            }
        }
        return new Read<T>(query.run(primary), source);
    }

    /** Where reads go now; checks the replica first when the last check is older than the check interval. */
    public ReadSource source() {
        if (replica == null) {
            return ReadSource.primaryOnly();
        }
        Checked checked = last;
        Instant now = clock.instant();
        if (checked == null || !now.isBefore(checked.at.plus(checkInterval)) || now.isBefore(checked.at)) {
            checked = check();
        }
        return checked.source;
    }

    private synchronized Checked check() {
        Instant now = clock.instant();
        Checked checked = last;
        if (checked != null && now.isBefore(checked.at.plus(checkInterval)) && !now.isBefore(checked.at)) {
            return checked; // another thread checked while this one waited
        }
        ReadSource source;
        try {
            Instant heartbeat = ReplicaHeartbeat.read(replicaCheck);
            if (heartbeat == null) {
                source = ReadSource.fallback("the read replica has no heartbeat yet (the report rollup job writes it on the"
                        + " primary at every run)");
            } else {
                long lag = Math.max(0, Duration.between(heartbeat, now).getSeconds());
                source = lag <= maxLag.getSeconds() ? ReadSource.replica(lag)
                        : ReadSource.fallback("the read replica is " + lag + " s behind the primary (limit " + maxLag.getSeconds() + " s)");
            }
        } catch (DataAccessException failure) {
            source = ReadSource.fallback(SqlFailures.isUnavailable(failure)
                    ? "the read replica is unreachable (" + SqlFailures.reason(failure) + ")"
                    : "the read replica cannot be checked (" + SqlFailures.reason(failure) + ")");
        }
        remember(source, now);
        return last;
    }

    private synchronized ReadSource remember(ReadSource source, Instant at) {
        Checked previous = last;
        if (previous == null || previous.source.isReplica() != source.isReplica()) {
            if (source.isReplica()) {
                LOG.info("Cart Recovery reports read from the read replica (heartbeat " + source.getLagSeconds() + " s old)");
            } else {
                LOG.warn("Cart Recovery reports read from the primary database: " + source.getReason());
            }
        }
        last = new Checked(source, at);
        return source;
    }

    /** A query's result and the database it came from. */
    public static final class Read<T> {
        private final T value;
        private final ReadSource source;

        Read(T value, ReadSource source) {
            this.value = value;
            this.source = source;
        }

        public T getValue() { return value; }
        public ReadSource getSource() { return source; }
    }

    private static final class Checked {
        final ReadSource source;
        final Instant at;

        Checked(ReadSource source, Instant at) {
            this.source = source;
            this.at = at;
        }
    }
}
