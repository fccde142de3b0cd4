package io.github.cartrecovery.scheduling;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.SmartLifecycle;

import io.github.cartrecovery.database.Database;
import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * Runs every {@link ScheduledJob} bean on Quartz 2.2's clustered JDBC job store (tables CR_QRTZ_*, created
 * by Liquibase), against Broadleaf's own datasource. Every node of a store starts one; Quartz fires each
 * job on one node at a time and, when a node stops checking in for {@code clusterCheckinIntervalMillis},
 * another node takes over its triggers. Work done inside jobs is still claimed per row, so even an
 * overlap after a long GC pause or a clock skew between nodes changes nothing twice.
 *
 * <p>A job declared {@link ScheduledJob#isOnEveryNode() on every node} has no Quartz job: each node runs it on
 * its own timer (one run at a time per node, {@code intervalSeconds} between the end of a run and the start of
 * the next), so all nodes run it at once. That is for work whose throughput one node cannot give and that is
 * safe everywhere at once (delivery, with {@code cartrecovery.delivery.every-node}). Its clustered Quartz job,
 * left by an earlier configuration, is deleted when such a node starts; should a node of the old configuration
 * add it again, a Quartz fire reaching a node that times the job itself is skipped.
 *
 * <p>Nodes that start together register their jobs at the same moment. Quartz reads a job's triggers outside its
 * cluster lock before it deletes or replaces them, so a node can find a trigger another node is deleting half gone
 * ("No record found for selection of Trigger") or already gone ("Unable to unschedule trigger"). Such a step is
 * tried again ({@link #untilNoRace}): what it leaves in the tables does not depend on which node did it.
 *
 * <p>Starts after the context is refreshed and stops (waiting for running jobs) when it closes.
 */
public class ClusteredScheduler implements SmartLifecycle, ApplicationContextAware {

    private static final Log LOG = LogFactory.getLog(ClusteredScheduler.class);
    private static final String GROUP = "cartrecovery";
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** How often one start-up registration step is tried while other nodes change the same Quartz rows. */
    static final int REGISTRATION_ATTEMPTS = 6;

    private final DataSource dataSource;
    private final Clock clock;
    private final JobRunLog runLog;
    private final boolean enabled;
    private final String nodeId;
    private final int threads;
    private final long clusterCheckinIntervalMillis;
    private final long idleWaitMillis;
    private ApplicationContext applicationContext;
    private final Map<String, ScheduledJob> jobs = new LinkedHashMap<String, ScheduledJob>();
    /** One single-threaded timer per job that runs on every node. */
    private final Map<String, ScheduledExecutorService> timers = new LinkedHashMap<String, ScheduledExecutorService>();
    private final Runner runner = new Runner();
    private volatile Scheduler scheduler;
    private volatile PluginMetrics metrics = PluginMetrics.inMemory();

    public ClusteredScheduler(DataSource dataSource, Clock clock, JobRunLog runLog, boolean enabled, String nodeId,
                              int threads, long clusterCheckinIntervalMillis, long idleWaitMillis) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.runLog = runLog;
        this.enabled = enabled;
        this.nodeId = nodeId == null || nodeId.trim().isEmpty() ? "AUTO" : nodeId.trim();
        this.threads = threads;
        this.clusterCheckinIntervalMillis = clusterCheckinIntervalMillis;
        this.idleWaitMillis = idleWaitMillis;
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    @Override
    public synchronized void start() {
        if (!enabled || scheduler != null) {
            return;
        }
        jobs.clear();
        for (ScheduledJob job : BeanFactoryUtils.beansOfTypeIncludingAncestors(applicationContext, ScheduledJob.class).values()) {
            jobs.put(job.getName(), job);
        }
        try {
            scheduler = createScheduler();
            scheduler.getContext().put(RecurringJob.RUNNER, runner);
            for (final ScheduledJob job : jobs.values()) {
                untilNoRace(job.getName(), new RegistrationStep() {
                    @Override
                    public void run() throws SchedulerException {
                        if (job.isOnEveryNode()) {
                            scheduler.deleteJob(new JobKey(job.getName(), GROUP));
                        } else {
                            schedule(job);
                        }
                    }
                }, REGISTRATION_ATTEMPTS, 100);
            }
            scheduler.start();
            for (ScheduledJob job : jobs.values()) {
                if (job.isOnEveryNode()) {
                    startTimer(job);
                }
            }
            LOG.info("Cart Recovery scheduler started on node " + scheduler.getSchedulerInstanceId() + " with jobs " + jobs.keySet()
                    + (timers.isEmpty() ? "" : ", of which on every node " + timers.keySet()));
        } catch (SchedulerException | SQLException e) {
            throw new IllegalStateException("Cart Recovery could not start its clustered scheduler: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        stopTimers();
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            LOG.warn("Cart Recovery scheduler did not shut down cleanly", e);
        } finally {
            scheduler = null;
        }
    }

    @Override
    public void stop(Runnable callback) {
        stop();
        callback.run();
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public boolean isAutoStartup() {
        return true;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    /** Where job runs are timed (bean crMetrics): cartrecovery.job.runs by job and outcome. */
    public void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /** One job run's log line: short, with the node and job also in the message (for hosts without MDC patterns). */
    static String runLine(String job, String node, String what, long millis) {
        return "Cart Recovery job " + job + " on " + node + ": " + what + " " + millis + " ms";
    }

    /**
     * Fires a job now (on whichever node acquires it; a job that runs on every node: on this node, after its
     * current run), e.g. from an admin "run now" button or a test.
     */
    public void triggerNow(String jobName) {
        final ScheduledJob job = jobs.get(jobName);
        ScheduledExecutorService timer = timers.get(jobName);
        if (job != null && timer != null) {
            timer.execute(new Runnable() {
                @Override
                public void run() {
                    runOnTimer(job);
                }
            });
            return;
        }
        try {
            requireStarted().triggerJob(new JobKey(jobName, GROUP));
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not trigger job " + jobName, e);
        }
    }

    /** This node's id in the cluster (Quartz instance id), once started. */
    public String nodeId() {
        try {
            return requireStarted().getSchedulerInstanceId();
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    private Scheduler requireStarted() {
        Scheduler current = scheduler;
        if (current == null) {
            throw new IllegalStateException("Cart Recovery's scheduler is not running (cartrecovery.scheduler.enabled=false?)");
        }
        return current;
    }

    private Scheduler createScheduler() throws SchedulerException, SQLException {
        String instance = "cartrecovery-" + INSTANCES.incrementAndGet();
        DBConnectionManager.getInstance().addConnectionProvider(instance, new DataSourceConnections(dataSource));
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "CartRecovery");
        properties.setProperty("org.quartz.scheduler.instanceId", nodeId);
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.scheduler.threadName", instance + "-scheduler");
        // how long a node's scheduler thread waits before looking for due triggers again (also bounds how
        // soon a trigger fired on another node is picked up)
        properties.setProperty("org.quartz.scheduler.idleWaitTime", String.valueOf(idleWaitMillis));
        properties.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        properties.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        properties.setProperty("org.quartz.threadPool.threadNamePrefix", instance + "-worker");
        properties.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        properties.setProperty("org.quartz.jobStore.dataSource", instance);
        properties.setProperty("org.quartz.jobStore.tablePrefix", "CR_QRTZ_");
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(clusterCheckinIntervalMillis));
        properties.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        QuartzDialect.of(dataSource).configure(properties);
        StdSchedulerFactory factory = new StdSchedulerFactory(properties);
        // Quartz keeps schedulers in a JVM-wide registry by name; every node shares the cluster name, so
        // take it out (as Spring's SchedulerFactoryBean does) to let several nodes live in one JVM in tests,
        // one node at a time (nodes of one JVM starting together would otherwise find each other's entry).
        synchronized (SchedulerRepository.class) {
            Scheduler created = factory.getScheduler();
            SchedulerRepository.getInstance().remove("CartRecovery");
            return created;
        }
    }

    private void startTimer(final ScheduledJob job) {
        final String threadName = "cartrecovery-" + job.getName() + "-on-this-node";
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(new ThreadFactory() {
            @Override
            public Thread newThread(Runnable work) {
                Thread thread = new Thread(work, threadName);
                thread.setDaemon(true);
                return thread;
            }
        });
        timers.put(job.getName(), timer);
        timer.scheduleWithFixedDelay(new Runnable() {
            @Override
            public void run() {
                runOnTimer(job);
            }
        }, 0, job.getIntervalSeconds(), TimeUnit.SECONDS);
    }

    private void runOnTimer(ScheduledJob job) {
        try {
            runner.run(job);
        } catch (RuntimeException e) {
            // logged and recorded by the runner; a timer whose task throws would never run it again
        }
    }

    /** Lets each running every-node job finish (as Quartz's shutdown does), then drops the timers. */
    private void stopTimers() {
        for (ScheduledExecutorService timer : timers.values()) {
            timer.shutdown();
        }
        try {
            for (Map.Entry<String, ScheduledExecutorService> timer : timers.entrySet()) {
                while (!timer.getValue().awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.info("Cart Recovery: waiting for job " + timer.getKey() + " to finish its run on this node");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            timers.clear();
        }
    }

    private void schedule(ScheduledJob job) throws SchedulerException {
        JobKey key = new JobKey(job.getName(), GROUP);
        JobDetail detail = JobBuilder.newJob(RecurringJob.class).withIdentity(key).storeDurably()
                .requestRecovery(false).build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(new TriggerKey(job.getName(), GROUP)).forJob(key)
                .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(job.getIntervalSeconds())
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .startNow().build();
        try {
            scheduler.addJob(detail, true);
            Trigger existing = scheduler.getTrigger(trigger.getKey());
            if (existing == null) {
                scheduler.scheduleJob(trigger);
            } else if (!(existing instanceof SimpleTrigger)
                    || ((SimpleTrigger) existing).getRepeatInterval() != job.getIntervalSeconds() * 1000L) {
                scheduler.rescheduleJob(trigger.getKey(), trigger);
            }
        } catch (ObjectAlreadyExistsException raced) {
            // another node registered the same job at the same moment: nothing to do
        }
    }

    /** One step of registering a job in Quartz's tables at start-up. */
    interface RegistrationStep {
        void run() throws SchedulerException;
    }

    /**
     * Runs a registration step, and again (up to {@code attempts} times in all, after a growing random pause of about
     * {@code pauseMillis} times the attempt) when Quartz fails it, which is how a node sees another node changing the
     * same job's rows at that moment (Quartz reports that with its store's exception or a plain one, so every
     * scheduler error is repeated; one that does not go away is thrown from the last attempt). Deleting a job and
     * adding or rescheduling one end the same whichever node does them, so repeating a step is safe.
     */
    static void untilNoRace(String jobName, RegistrationStep step, int attempts, long pauseMillis) throws SchedulerException {
        for (int attempt = 1; ; attempt++) {
            try {
                step.run();
                return;
            } catch (SchedulerException raced) {
                if (attempt >= attempts) {
                    throw raced;
                }
                LOG.info("Cart Recovery: registering job " + jobName + " failed (attempt " + attempt + " of " + attempts
                        + "; another node starting at the same moment may be changing the same rows): " + raced.getMessage()
                        + "; trying again");
                try {
                    Thread.sleep(pauseMillis * attempt + ThreadLocalRandom.current().nextLong(pauseMillis + 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw raced;
                }
            }
        }
    }

    /** Runs a job's work and records the run: on a Quartz worker thread ({@link RecurringJob}) or a job's own timer. */
    final class Runner {
        void runFiredByCluster(String jobName) {
            ScheduledJob job = jobs.get(jobName);
            if (job == null) {
                LOG.warn("Cart Recovery job " + jobName + " is scheduled but not defined on this node; skipping");
                return;
            }
            if (job.isOnEveryNode()) {
                LOG.debug("Cart Recovery job " + jobName + " runs on this node's own timer; skipping the cluster's fire");
                return;
            }
            run(job);
        }

        /**
         * Runs the job with node and job in the log context, records the run (CR_JOB_RUN, the job timer) and logs one
         * line: INFO when the run handled something, DEBUG when it found nothing to do (most runs of a quiet store, every
         * few seconds), ERROR when it failed.
         */
        void run(ScheduledJob job) {
            String jobName = job.getName();
            Instant startedAt = clock.instant();
            long start = System.nanoTime();
            String node = nodeIdOrUnknown();
            try (JobLogContext context = JobLogContext.open(node, jobName)) {
                int items;
                try {
                    items = job.getWork().run();
                } catch (RuntimeException e) {
                    long nanos = System.nanoTime() - start;
                    metrics.jobRun(jobName, false, nanos);
                    LOG.error(runLine(jobName, node, "failed after", nanos / 1_000_000L), PersonalDataMask.failure(e));
                    runLog.record(jobName, node, startedAt, nanos / 1_000_000L,
                            JobRunLog.Outcome.FAILED, 0, PersonalDataMask.text(e.toString()));
                    throw e;
                }
                long nanos = System.nanoTime() - start;
                metrics.jobRun(jobName, true, nanos);
                runLog.record(jobName, node, startedAt, nanos / 1_000_000L, JobRunLog.Outcome.SUCCEEDED, items, null);
                if (items > 0) {
                    LOG.info(runLine(jobName, node, items + " items in", nanos / 1_000_000L));
                } else if (LOG.isDebugEnabled()) {
                    LOG.debug(runLine(jobName, node, "nothing to do in", nanos / 1_000_000L));
                }
            }
        }

        private String nodeIdOrUnknown() {
            try {
                Scheduler current = scheduler;
                return current == null ? "stopped" : current.getSchedulerInstanceId();
            } catch (SchedulerException e) {
                return "unknown";
            }
        }
    }

    /** Quartz's view of Broadleaf's datasource; JobStoreTX manages its own commits on these connections. */
    private static final class DataSourceConnections implements ConnectionProvider {
        private final DataSource dataSource;

        DataSourceConnections(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the datasource belongs to Broadleaf
        }

        @Override
        public void initialize() {
            // nothing to open
        }
    }

    /** The per-database part of Quartz's configuration, chosen by {@link Database}. */
    static final class QuartzDialect {
        private final String delegate;
        private final String lockHandler;

        private QuartzDialect(String delegate, String lockHandler) {
            this.delegate = delegate;
            this.lockHandler = lockHandler;
        }

        static QuartzDialect of(DataSource dataSource) throws SQLException {
            Database.Kind database = Database.of(dataSource).kind();
            if (database == Database.Kind.POSTGRESQL) {
                return new QuartzDialect("org.quartz.impl.jdbcjobstore.PostgreSQLDelegate", null);
            }
            if (database == Database.Kind.HSQLDB) {
                // HSQLDB has no SELECT ... FOR UPDATE row locks: lock by UPDATE instead
                return new QuartzDialect("org.quartz.impl.jdbcjobstore.HSQLDBDelegate",
                        "org.quartz.impl.jdbcjobstore.UpdateLockRowSemaphore");
            }
            // MySQL, MariaDB and the rest: the standard delegate
            return new QuartzDialect("org.quartz.impl.jdbcjobstore.StdJDBCDelegate", null);
        }

        void configure(Properties properties) {
            properties.setProperty("org.quartz.jobStore.driverDelegateClass", delegate);
            if (lockHandler != null) {
                properties.setProperty("org.quartz.jobStore.lockHandler.class", lockHandler);
            }
        }
    }
}
