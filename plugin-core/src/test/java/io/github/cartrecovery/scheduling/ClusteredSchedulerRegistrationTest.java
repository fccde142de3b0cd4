package io.github.cartrecovery.scheduling;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Nodes that start together register their jobs at the same moment; Quartz can then fail a node's step with a
 * half-deleted trigger (seen in the reliability suite when three nodes restarted at once). The step is tried
 * again instead of failing the node's start.
 */
class ClusteredSchedulerRegistrationTest {

    private static final JobKey DELIVERY = new JobKey("deliver-recovery-messages", "cartrecovery");

    @Test
    void aStepThatRacesAnotherNodeIsTriedAgain() throws Exception {
        Scheduler scheduler = mock(Scheduler.class);
        when(scheduler.deleteJob(DELIVERY))
                .thenThrow(new JobPersistenceException("Couldn't obtain triggers for job: No record found for selection of Trigger"))
                .thenThrow(new SchedulerException("Unable to unschedule trigger [cartrecovery.deliver-recovery-messages] while deleting job"))
                .thenReturn(false);

        ClusteredScheduler.untilNoRace(DELIVERY.getName(), () -> scheduler.deleteJob(DELIVERY), 6, 1);

        verify(scheduler, times(3)).deleteJob(DELIVERY);
    }

    @Test
    void aStepThatKeepsFailingFailsTheStartWithTheStoresError() throws Exception {
        Scheduler scheduler = mock(Scheduler.class);
        when(scheduler.deleteJob(DELIVERY)).thenThrow(new JobPersistenceException("the database is gone"));

        assertThatThrownBy(() -> ClusteredScheduler.untilNoRace(DELIVERY.getName(), () -> scheduler.deleteJob(DELIVERY), 4, 1))
                .isInstanceOf(JobPersistenceException.class).hasMessage("the database is gone");
        verify(scheduler, times(4)).deleteJob(DELIVERY);
    }
}
