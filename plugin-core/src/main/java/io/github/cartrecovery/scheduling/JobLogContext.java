package io.github.cartrecovery.scheduling;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Puts the node and the job into the log context while a job runs, so every line the job logs (delivery,
 * detection...) can show them: log4j 1.2's MDC keys {@code cartrecovery.node} and {@code cartrecovery.job}
 * (pattern {@code %X{cartrecovery.node} %X{cartrecovery.job}}). Broadleaf 3.1 depends on log4j 1.2 (its
 * {@code SupportLogger} extends log4j's {@code Logger}), so a Broadleaf host has it; commons-logging has no MDC.
 * A host whose log4j classes are missing (log4j-over-slf4j provides them too) simply gets no context.
 */
final class JobLogContext implements AutoCloseable {

    static final String NODE = "cartrecovery.node";
    static final String JOB = "cartrecovery.job";

    private static final Log LOG = LogFactory.getLog(JobLogContext.class);
    private static volatile boolean available = true;

    private final boolean opened;

    private JobLogContext(boolean opened) {
        this.opened = opened;
    }

    /** Sets node and job for the current thread until {@link #close()}. */
    static JobLogContext open(String node, String job) {
        if (!available) {
            return new JobLogContext(false);
        }
        try {
            org.apache.log4j.MDC.put(NODE, node);
            org.apache.log4j.MDC.put(JOB, job);
            return new JobLogContext(true);
        } catch (LinkageError noLog4j) {
            available = false;
            LOG.info("Cart Recovery: log4j's MDC is not on the classpath; job log lines name the node and job themselves");
            return new JobLogContext(false);
        }
    }

    @Override
    public void close() {
        if (opened) {
            org.apache.log4j.MDC.remove(NODE);
            org.apache.log4j.MDC.remove(JOB);
        }
    }
}
