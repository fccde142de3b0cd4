package io.github.cartrecovery.operations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import io.github.cartrecovery.scheduling.ClusteredScheduler;
import io.github.cartrecovery.scheduling.ScheduledJob;

/**
 * Health entry {@code scheduler}: every {@link ScheduledJob} ran within two of its intervals (plus
 * {@code cartrecovery.health.scheduler.grace-seconds} for the run itself and the scheduler's polling), judged by the
 * runs the scheduler records in CR_JOB_RUN:
 * <ul>
 * <li>for the cluster: a job that runs on one node at a time, on any node;</li>
 * <li>per node: a job that runs on every node, on each node of the cluster (the nodes checked in to Quartz,
 *     CR_QRTZ_SCHEDULER_STATE), and this node's scheduler is running when {@code cartrecovery.scheduler.enabled}.</li>
 * </ul>
 * A job or node with no run yet counts from when this check started watching (the node's start). Two indexed
 * queries per job (IX_CR_JOB_RUN_JOB_STARTED).
 */
public class SchedulerCheck implements HealthCheck, ApplicationContextAware {

    static final String STALLED = "job-stalled:";
    static final String STOPPED = "scheduler-stopped:";
    private static final Duration LOOK_BACK = Duration.ofDays(1);

    private final JdbcTemplate jdbc;
    private final ClusteredScheduler scheduler;
    private final boolean schedulerEnabled;
    private final Duration grace;
    private final Instant watchingSince;
    private final String configuredNodeId;
    private Collection<ScheduledJob> jobs;
    private ApplicationContext context;

    /**
     * @param schedulerEnabled {@code cartrecovery.scheduler.enabled}
     * @param configuredNodeId {@code cartrecovery.scheduler.node-id}, to name this node while its scheduler is stopped
     * @param graceSeconds {@code cartrecovery.health.scheduler.grace-seconds}
     * @param clock the plugin's clock: a job with no run counts from now (the node's start)
     */
    public SchedulerCheck(DataSource dataSource, ClusteredScheduler scheduler, boolean schedulerEnabled,
                          String configuredNodeId, int graceSeconds, Clock clock) {
        if (graceSeconds < 0) {
            throw new IllegalArgumentException("cartrecovery.health.scheduler.grace-seconds must be at least 0, was " + graceSeconds);
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.scheduler = scheduler;
        this.schedulerEnabled = schedulerEnabled;
        this.configuredNodeId = configuredNodeId;
        this.grace = Duration.ofSeconds(graceSeconds);
        this.watchingSince = clock.instant();
    }

    /** Checks these jobs instead of every ScheduledJob bean of the context. */
    public SchedulerCheck forJobs(Collection<ScheduledJob> checkedJobs) {
        this.jobs = new ArrayList<ScheduledJob>(checkedJobs);
        return this;
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.context = applicationContext;
    }

    @Override
    public String name() {
        return "scheduler";
    }

    @Override
    public CheckResult check(Instant now) {
        List<Problem> problems = new ArrayList<Problem>();
        Map<String, Object> details = new LinkedHashMap<String, Object>();
        String thisNode = thisNode();
        Map<String, Object> node = new LinkedHashMap<String, Object>();
        node.put("id", thisNode);
        node.put("scheduler", !schedulerEnabled ? "off (cartrecovery.scheduler.enabled=false)" : scheduler.isRunning() ? "running" : "stopped");
        details.put("thisNode", node);
        if (schedulerEnabled && !scheduler.isRunning()) {
            problems.add(new Problem(STOPPED + keyPart(thisNode), "the scheduler of node " + thisNode + " is not running", null));
        }
        Set<String> nodes = clusterNodes();
        if (schedulerEnabled && scheduler.isRunning()) {
            nodes.add(thisNode);
        }
        details.put("nodes", new ArrayList<String>(nodes));

        Map<String, Object> jobDetails = new LinkedHashMap<String, Object>();
        int stalled = 0;
        for (ScheduledJob job : jobs()) {
            Duration limit = Duration.ofSeconds(2L * job.getIntervalSeconds()).plus(grace);
            Map<String, Object> entry = new LinkedHashMap<String, Object>();
            entry.put("intervalSeconds", job.getIntervalSeconds());
            entry.put("onEveryNode", job.isOnEveryNode());
            entry.put("limitSeconds", limit.getSeconds());
            Map<String, Instant> lastRunByNode = lastRunByNode(job.getName(), now);
            Object[] latest = latestRun(job.getName());
            entry.put("lastRunAt", latest == null ? null : latest[0]);
            entry.put("lastRunNode", latest == null ? null : latest[1]);
            entry.put("lastOutcome", latest == null ? null : latest[2]);
            if (!job.isOnEveryNode()) {
                Instant last = latest == null ? null : (Instant) latest[0];
                if (isStale(last, now, limit)) {
                    stalled++;
                    entry.put("status", HealthStatus.DOWN);
                    problems.add(new Problem(STALLED + job.getName(), "job " + job.getName() + " has not run "
                            + (last == null ? "since " + watchingSince : "for " + Duration.between(last, now).getSeconds() + " s")
                            + " (limit " + limit.getSeconds() + " s, two intervals and the grace)", reference(last).plus(limit)));
                } else {
                    entry.put("status", HealthStatus.UP);
                }
            } else {
                Map<String, Object> perNode = new LinkedHashMap<String, Object>();
                boolean up = true;
                for (String member : nodes) {
                    Instant last = lastRunByNode.get(member);
                    boolean stale = isStale(last, now, limit);
                    perNode.put(member, last == null ? "no run" : last.toString());
                    if (stale) {
                        up = false;
                        problems.add(new Problem(STALLED + job.getName() + ":" + keyPart(member), "job " + job.getName()
                                + " has not run on node " + member + (last == null ? " since " + watchingSince
                                : " for " + Duration.between(last, now).getSeconds() + " s") + " (limit " + limit.getSeconds() + " s)",
                                reference(last).plus(limit)));
                    }
                }
                if (!up) {
                    stalled++;
                }
                entry.put("lastRunByNode", perNode);
                entry.put("status", up ? HealthStatus.UP : HealthStatus.DOWN);
            }
            jobDetails.put(job.getName(), entry);
        }
        details.put("jobs", jobDetails);
        String summary = stalled == 0 ? jobDetails.size() + " jobs running on time" : stalled + " of " + jobDetails.size() + " jobs stalled";
        if (schedulerEnabled && !scheduler.isRunning()) {
            summary = "scheduler stopped on this node; " + summary;
        }
        return CheckResult.of(name(), summary, details, problems);
    }

    private boolean isStale(Instant last, Instant now, Duration limit) {
        return reference(last).plus(limit).isBefore(now);
    }

    private Instant reference(Instant last) {
        return last == null || last.isBefore(watchingSince) ? watchingSince : last;
    }

    private Collection<ScheduledJob> jobs() {
        if (jobs == null) {
            jobs = context == null ? new ArrayList<ScheduledJob>()
                    : BeanFactoryUtils.beansOfTypeIncludingAncestors(context, ScheduledJob.class).values();
        }
        return jobs;
    }

    private String thisNode() {
        if (scheduler.isRunning()) {
            try {
                return scheduler.nodeId();
            } catch (IllegalStateException stoppedMeanwhile) {
                // fall through
            }
        }
        return configuredNodeId == null || configuredNodeId.trim().isEmpty() ? "AUTO" : configuredNodeId.trim();
    }

    /** The nodes checked in to Quartz's cluster (Quartz removes a node's row when another takes over its work). */
    private Set<String> clusterNodes() {
        final Set<String> nodes = new LinkedHashSet<String>();
        jdbc.query("SELECT INSTANCE_NAME FROM CR_QRTZ_SCHEDULER_STATE WHERE SCHED_NAME = 'CartRecovery' ORDER BY INSTANCE_NAME",
                new RowCallbackHandler() {
                    @Override
                    public void processRow(ResultSet rs) throws SQLException {
                        nodes.add(rs.getString(1));
                    }
                });
        return nodes;
    }

    private Map<String, Instant> lastRunByNode(String job, Instant now) {
        final Map<String, Instant> runs = new LinkedHashMap<String, Instant>();
        jdbc.query("SELECT NODE_ID, MAX(STARTED_AT) FROM CR_JOB_RUN WHERE JOB_NAME = ? AND STARTED_AT >= ? GROUP BY NODE_ID",
                new RowCallbackHandler() {
                    @Override
                    public void processRow(ResultSet rs) throws SQLException {
                        runs.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                    }
                }, job, Timestamp.from(now.minus(LOOK_BACK)));
        return runs;
    }

    /** The newest run of the job: started at, node, outcome; null when none is recorded. */
    private Object[] latestRun(String job) {
        JdbcTemplate one = new JdbcTemplate(jdbc.getDataSource());
        one.setMaxRows(1);
        final List<Object[]> rows = new ArrayList<Object[]>();
        one.query("SELECT STARTED_AT, NODE_ID, OUTCOME FROM CR_JOB_RUN WHERE JOB_NAME = ? ORDER BY STARTED_AT DESC",
                new RowCallbackHandler() {
                    @Override
                    public void processRow(ResultSet rs) throws SQLException {
                        if (rows.isEmpty()) {
                            rows.add(new Object[] {rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3)});
                        }
                    }
                }, job);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** A node id as part of an incident key: lower case, letters, digits and dashes, at most 40 characters. */
    static String keyPart(String nodeId) {
        String part = nodeId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-");
        return part.length() > 40 ? part.substring(0, 40) : part;
    }
}
