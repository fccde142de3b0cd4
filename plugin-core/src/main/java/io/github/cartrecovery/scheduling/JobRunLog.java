package io.github.cartrecovery.scheduling;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * History of job executions in CR_JOB_RUN: which node ran what, when, for how long, and how it ended,
 * so an operator can see the scheduler is alive. Keeps {@code historyDays} of history per job.
 */
public class JobRunLog {

    public enum Outcome { SUCCEEDED, FAILED }

    /** One recorded execution. */
    public static final class JobRun {
        public final String jobName;
        public final String nodeId;
        public final Instant startedAt;
        public final long durationMillis;
        public final Outcome outcome;
        public final int items;
        public final String error;

        JobRun(String jobName, String nodeId, Instant startedAt, long durationMillis, Outcome outcome, int items,
               String error) {
            this.jobName = jobName;
            this.nodeId = nodeId;
            this.startedAt = startedAt;
            this.durationMillis = durationMillis;
            this.outcome = outcome;
            this.items = items;
            this.error = error;
        }

        @Override
        public String toString() {
            return jobName + " on " + nodeId + " at " + startedAt + ": " + outcome + ", " + items + " items"
                    + (error == null ? "" : ", " + error);
        }
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration history;

    public JobRunLog(DataSource dataSource, Clock clock, int historyDays) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.history = Duration.ofDays(historyDays);
    }

    public void record(String jobName, String nodeId, Instant startedAt, long durationMillis, Outcome outcome,
                       int items, String error) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO CR_JOB_RUN"
                    + " (JOB_NAME, NODE_ID, STARTED_AT, DURATION_MS, OUTCOME, ITEMS, ERROR) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, jobName);
                insert.setString(2, truncate(nodeId, 200));
                insert.setTimestamp(3, Timestamp.from(startedAt));
                insert.setLong(4, durationMillis);
                insert.setString(5, outcome.name());
                insert.setInt(6, items);
                insert.setString(7, truncate(error, 1000));
                insert.executeUpdate();
            }
            try (PreparedStatement prune = connection.prepareStatement(
                    "DELETE FROM CR_JOB_RUN WHERE JOB_NAME = ? AND STARTED_AT < ?")) {
                prune.setString(1, jobName);
                prune.setTimestamp(2, Timestamp.from(clock.instant().minus(history)));
                prune.executeUpdate();
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cart Recovery could not record a run of job " + jobName, e);
        }
    }

    /** The latest runs of a job, newest first. */
    public List<JobRun> latest(String jobName, int limit) {
        List<JobRun> runs = new ArrayList<JobRun>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT JOB_NAME, NODE_ID, STARTED_AT, DURATION_MS,"
                     + " OUTCOME, ITEMS, ERROR FROM CR_JOB_RUN WHERE JOB_NAME = ? ORDER BY STARTED_AT DESC, ID DESC")) {
            select.setString(1, jobName);
            select.setMaxRows(limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    runs.add(new JobRun(row.getString(1), row.getString(2), row.getTimestamp(3).toInstant(),
                            row.getLong(4), Outcome.valueOf(row.getString(5)), row.getInt(6), row.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cart Recovery could not read the history of job " + jobName, e);
        }
        return runs;
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
