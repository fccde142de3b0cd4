package io.github.cartrecovery.scheduling;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/**
 * The Quartz job behind every {@link ScheduledJob}: looks the work up by job name and runs it.
 * {@code @DisallowConcurrentExecution} makes Quartz's clustered store run each job on one node at a time.
 * (Jobs that run on every node have no Quartz job: {@link ClusteredScheduler} times them on each node.)
 */
@DisallowConcurrentExecution
public class RecurringJob implements Job {

    static final String RUNNER = "cartrecovery.runner";

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        try {
            ClusteredScheduler.Runner runner = (ClusteredScheduler.Runner) context.getScheduler().getContext().get(RUNNER);
            runner.runFiredByCluster(context.getJobDetail().getKey().getName());
        } catch (SchedulerException e) {
            throw new JobExecutionException(e);
        } catch (RuntimeException e) {
            // recorded by the runner; Quartz only needs to know the run failed
            throw new JobExecutionException(e.getMessage(), e, false);
        }
    }
}
