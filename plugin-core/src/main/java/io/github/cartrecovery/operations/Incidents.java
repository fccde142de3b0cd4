package io.github.cartrecovery.operations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * CR_INCIDENT, the alerts' memory for the cluster: one row per incident (a problem key from when it was first seen
 * until it has been clear for {@code cartrecovery.alerts.resolve-after-minutes}), and the state of its two notices,
 * "opened" and "resolved". Every transition is one conditional statement, so any number of nodes can run it at once:
 * <ul>
 * <li>an open incident holds its key in OPEN_KEY, under the unique key UQ_CR_INCIDENT_OPEN: a second node opening the
 *     same problem updates the row the first one inserted instead of adding another (a lost insert race does too);</li>
 * <li>resolving clears OPEN_KEY (the next occurrence is a new incident) only if still open;</li>
 * <li>a notice goes PENDING -> SENDING only for the node whose update took it, so each is sent at most once.</li>
 * </ul>
 */
public class Incidents {

    /** The state of a notice (OPEN_NOTICE, CLOSE_NOTICE). */
    public enum Notice {
        /** To be sent by the next alert run. */
        PENDING,
        /** Taken by a node that is sending it. */
        SENDING,
        /** At least one channel (email, webhook) took it. */
        SENT,
        /** No channel took it (the error is in NOTICE_ERROR). */
        FAILED,
        /** Not sent: the cluster had sent {@code cartrecovery.alerts.max-per-hour} notices in the last hour. */
        SUPPRESSED,
        /** Not sent: the opening was never announced, so neither is its end. */
        SKIPPED
    }

    private static final String COLUMNS = "ID, INCIDENT_KEY, SUMMARY, OPENED_AT, LAST_SEEN_AT, CLEAR_SINCE, RESOLVED_AT,"
            + " OPENED_BY, OPEN_NOTICE, OPEN_NOTICE_AT, CLOSE_NOTICE, CLOSE_NOTICE_AT, NOTICE_ERROR";

    private final JdbcTemplate jdbc;

    public Incidents(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Opens an incident for the problem, or marks the open one seen again (and not clear). True when this call opened it. */
    public boolean seen(Problem problem, String node, Instant now) {
        if (touch(problem, now)) {
            return false;
        }
        try {
            jdbc.update("INSERT INTO CR_INCIDENT (INCIDENT_KEY, OPEN_KEY, SUMMARY, OPENED_AT, LAST_SEEN_AT, OPENED_BY, OPEN_NOTICE)"
                    + " VALUES (?, ?, ?, ?, ?, ?, 'PENDING')", problem.getKey(), problem.getKey(), summary(problem),
                    ts(now), ts(now), truncate(node, 200));
            return true;
        } catch (DataIntegrityViolationException openedByAnotherNode) {
            touch(problem, now);
            return false;
        }
    }

    private boolean touch(Problem problem, Instant now) {
        return jdbc.update("UPDATE CR_INCIDENT SET LAST_SEEN_AT = ?, SUMMARY = ?, CLEAR_SINCE = NULL WHERE OPEN_KEY = ?",
                ts(now), summary(problem), problem.getKey()) > 0;
    }

    /**
     * The open incidents whose key is not among {@code activeKeys}: marked clear from now (once), and resolved when
     * clear for {@code resolveAfter}. The resolved notice is due only when the opening was announced. Returns how
     * many were resolved by this call.
     */
    public int clear(Collection<String> activeKeys, Instant now, Duration resolveAfter) {
        int resolved = 0;
        for (Incident open : open()) {
            if (activeKeys.contains(open.getKey())) {
                continue;
            }
            jdbc.update("UPDATE CR_INCIDENT SET CLEAR_SINCE = ? WHERE ID = ? AND OPEN_KEY IS NOT NULL AND CLEAR_SINCE IS NULL",
                    ts(now), open.getId());
            resolved += jdbc.update("UPDATE CR_INCIDENT SET OPEN_KEY = NULL, RESOLVED_AT = ?, CLOSE_NOTICE ="
                    + " CASE WHEN OPEN_NOTICE IN ('SENT', 'SENDING') THEN 'PENDING' ELSE 'SKIPPED' END"
                    + " WHERE ID = ? AND OPEN_KEY IS NOT NULL AND CLEAR_SINCE <= ?", ts(now), open.getId(), ts(now.minus(resolveAfter)));
        }
        return resolved;
    }

    /** The incidents still open, oldest first. */
    public List<Incident> open() {
        return jdbc.query("SELECT " + COLUMNS + " FROM CR_INCIDENT WHERE OPEN_KEY IS NOT NULL ORDER BY OPENED_AT, ID", MAPPER);
    }

    /** The latest incidents, open or resolved, newest first (the admin's history). */
    public List<Incident> latest(int limit) {
        JdbcTemplate limited = new JdbcTemplate(jdbc.getDataSource());
        limited.setMaxRows(limit);
        return limited.query("SELECT " + COLUMNS + " FROM CR_INCIDENT ORDER BY OPENED_AT DESC, ID DESC", MAPPER);
    }

    /** Incidents with a notice to send, oldest first. */
    public List<Incident> withPendingNotice() {
        return jdbc.query("SELECT " + COLUMNS + " FROM CR_INCIDENT WHERE OPEN_NOTICE = 'PENDING' OR CLOSE_NOTICE = 'PENDING'"
                + " ORDER BY ID", MAPPER);
    }

    /** Notices the cluster sent (or tried to) since {@code since}: what the rate limit counts. */
    public int noticesSince(Instant since) {
        Integer opened = jdbc.queryForObject("SELECT COUNT(*) FROM CR_INCIDENT WHERE OPEN_NOTICE IN ('SENDING', 'SENT', 'FAILED')"
                + " AND OPEN_NOTICE_AT >= ?", Integer.class, ts(since));
        Integer resolved = jdbc.queryForObject("SELECT COUNT(*) FROM CR_INCIDENT WHERE CLOSE_NOTICE IN ('SENDING', 'SENT', 'FAILED')"
                + " AND CLOSE_NOTICE_AT >= ?", Integer.class, ts(since));
        return (opened == null ? 0 : opened) + (resolved == null ? 0 : resolved);
    }

    /**
     * Moves a PENDING notice on ({@code opening}: the opened notice, else the resolved one): to SENDING to send it, or
     * to SUPPRESSED. False when another node took it first.
     */
    public boolean take(long id, boolean opening, Notice next, Instant now) {
        String column = opening ? "OPEN_NOTICE" : "CLOSE_NOTICE";
        return jdbc.update("UPDATE CR_INCIDENT SET " + column + " = ?, " + column + "_AT = ? WHERE ID = ? AND " + column
                + " = 'PENDING'", next.name(), ts(now), id) == 1;
    }

    /** Records what became of a notice this node was SENDING. */
    public void sent(long id, boolean opening, boolean delivered, String error) {
        String column = opening ? "OPEN_NOTICE" : "CLOSE_NOTICE";
        jdbc.update("UPDATE CR_INCIDENT SET " + column + " = ?, NOTICE_ERROR = ? WHERE ID = ? AND " + column + " = 'SENDING'",
                delivered ? Notice.SENT.name() : Notice.FAILED.name(), truncate(error, 1000), id);
    }

    private static String summary(Problem problem) {
        return truncate(problem.getSummary() == null ? problem.getKey() : problem.getSummary(), 1000);
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static final RowMapper<Incident> MAPPER = new RowMapper<Incident>() {
        @Override
        public Incident mapRow(ResultSet rs, int rowNum) throws SQLException {
            String close = rs.getString("CLOSE_NOTICE");
            return new Incident(rs.getLong("ID"), rs.getString("INCIDENT_KEY"), rs.getString("SUMMARY"),
                    instant(rs, "OPENED_AT"), instant(rs, "LAST_SEEN_AT"), instant(rs, "CLEAR_SINCE"),
                    instant(rs, "RESOLVED_AT"), rs.getString("OPENED_BY"), Notice.valueOf(rs.getString("OPEN_NOTICE")),
                    instant(rs, "OPEN_NOTICE_AT"), close == null ? null : Notice.valueOf(close),
                    instant(rs, "CLOSE_NOTICE_AT"), rs.getString("NOTICE_ERROR"));
        }
    };

    /** One row of CR_INCIDENT. */
    public static final class Incident {
        private final long id;
        private final String key;
        private final String summary;
        private final Instant openedAt;
        private final Instant lastSeenAt;
        private final Instant clearSince;
        private final Instant resolvedAt;
        private final String openedBy;
        private final Notice openNotice;
        private final Instant openNoticeAt;
        private final Notice closeNotice;
        private final Instant closeNoticeAt;
        private final String noticeError;

        Incident(long id, String key, String summary, Instant openedAt, Instant lastSeenAt, Instant clearSince,
                 Instant resolvedAt, String openedBy, Notice openNotice, Instant openNoticeAt, Notice closeNotice,
                 Instant closeNoticeAt, String noticeError) {
            this.id = id;
            this.key = key;
            this.summary = summary;
            this.openedAt = openedAt;
            this.lastSeenAt = lastSeenAt;
            this.clearSince = clearSince;
            this.resolvedAt = resolvedAt;
            this.openedBy = openedBy;
            this.openNotice = openNotice;
            this.openNoticeAt = openNoticeAt;
            this.closeNotice = closeNotice;
            this.closeNoticeAt = closeNoticeAt;
            this.noticeError = noticeError;
        }

        public long getId() { return id; }
        public String getKey() { return key; }
        public String getSummary() { return summary; }
        public Instant getOpenedAt() { return openedAt; }
        public Instant getLastSeenAt() { return lastSeenAt; }
        public Instant getClearSince() { return clearSince; }
        /** Null while open. */
        public Instant getResolvedAt() { return resolvedAt; }
        public boolean isOpen() { return resolvedAt == null; }
        public String getOpenedBy() { return openedBy; }
        public Notice getOpenNotice() { return openNotice; }
        public Instant getOpenNoticeAt() { return openNoticeAt; }
        /** Null while open. */
        public Notice getCloseNotice() { return closeNotice; }
        public Instant getCloseNoticeAt() { return closeNoticeAt; }
        public String getNoticeError() { return noticeError; }

        @Override
        public String toString() {
            return "incident " + id + " " + key + (isOpen() ? " open" : " resolved") + " (" + openNotice
                    + (closeNotice == null ? "" : "/" + closeNotice) + ")";
        }
    }

    /** Keys of the given problems, for {@link #clear}. */
    public static List<String> keys(Collection<Problem> problems) {
        List<String> keys = new ArrayList<String>();
        for (Problem problem : problems) {
            keys.add(problem.getKey());
        }
        return keys;
    }
}
