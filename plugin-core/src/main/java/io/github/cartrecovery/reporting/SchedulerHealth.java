package io.github.cartrecovery.reporting;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;

/**
 * What the report page shows about the plugin's background work: the last run of each job on each node
 * (CR_JOB_RUN), job failures in the last 24 hours, and the delivery queue (planned messages already due).
 * Reads only: CR_JOB_RUN is small (pruned after cartrecovery.jobs.history-days) and the queue count uses
 * index IX_CR_PLANNED_STATUS_DUE.
 */
public class SchedulerHealth {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public SchedulerHealth(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    public Snapshot snapshot() {
        Instant now = clock.instant();
        List<LastRun> lastRuns = jdbc.query("SELECT r.JOB_NAME, r.NODE_ID, r.STARTED_AT, r.DURATION_MS, r.OUTCOME, r.ITEMS,"
                + " r.ERROR FROM CR_JOB_RUN r WHERE r.ID IN (SELECT MAX(ID) FROM CR_JOB_RUN GROUP BY JOB_NAME, NODE_ID)"
                + " ORDER BY r.JOB_NAME, r.NODE_ID", new RowMapper<LastRun>() {
                    @Override
                    public LastRun mapRow(ResultSet rs, int rowNum) throws SQLException {
                        return new LastRun(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                                rs.getLong(4), rs.getString(5), rs.getInt(6), rs.getString(7));
                    }
                });
        final Map<String, Integer> failures = new TreeMap<String, Integer>();
        jdbc.query("SELECT JOB_NAME, COUNT(*) FROM CR_JOB_RUN WHERE OUTCOME = 'FAILED' AND STARTED_AT >= ? GROUP BY JOB_NAME",
                new RowCallbackHandler() {
                    @Override
                    public void processRow(ResultSet rs) throws SQLException {
                        failures.put(rs.getString(1), rs.getInt(2));
                    }
                }, new Timestamp(now.minus(Duration.ofHours(24)).toEpochMilli()));
        Long due = jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE STATUS = 'PLANNED' AND DUE_AT <= ?",
                Long.class, new Timestamp(now.toEpochMilli()));
        return new Snapshot(now, lastRuns, failures, due == null ? 0 : due);
    }

    /** The scheduler's state at one instant. */
    public static final class Snapshot {
        private final Instant takenAt;
        private final List<LastRun> lastRuns;
        private final Map<String, Integer> failuresLast24Hours;
        private final long dueMessages;

        Snapshot(Instant takenAt, List<LastRun> lastRuns, Map<String, Integer> failuresLast24Hours, long dueMessages) {
            this.takenAt = takenAt;
            this.lastRuns = Collections.unmodifiableList(new ArrayList<LastRun>(lastRuns));
            this.failuresLast24Hours = Collections.unmodifiableMap(new TreeMap<String, Integer>(failuresLast24Hours));
            this.dueMessages = dueMessages;
        }

        public Instant getTakenAt() { return takenAt; }
        /** The latest run of each job on each node, by job then node. */
        public List<LastRun> getLastRuns() { return lastRuns; }
        /** Failed runs per job in the 24 hours before {@link #getTakenAt()} (jobs without failures are absent). */
        public Map<String, Integer> getFailuresLast24Hours() { return failuresLast24Hours; }
        public int getTotalFailuresLast24Hours() {
            int total = 0;
            for (Integer count : failuresLast24Hours.values()) {
                total += count;
            }
            return total;
        }
        /** Queue depth: messages PLANNED and already due, waiting for the delivery job. */
        public long getDueMessages() { return dueMessages; }
    }

    /** The latest run of one job on one node. */
    public static final class LastRun {
        private final String jobName;
        private final String nodeId;
        private final Instant startedAt;
        private final long durationMillis;
        private final String outcome;
        private final int items;
        private final String error;

        LastRun(String jobName, String nodeId, Instant startedAt, long durationMillis, String outcome, int items,
                String error) {
            this.jobName = jobName;
            this.nodeId = nodeId;
            this.startedAt = startedAt;
            this.durationMillis = durationMillis;
            this.outcome = outcome;
            this.items = items;
            this.error = error;
        }

        public String getJobName() { return jobName; }
        public String getNodeId() { return nodeId; }
        public Instant getStartedAt() { return startedAt; }
        public long getDurationMillis() { return durationMillis; }
        /** SUCCEEDED or FAILED. */
        public String getOutcome() { return outcome; }
        public int getItems() { return items; }
        public String getError() { return error; }
    }
}
