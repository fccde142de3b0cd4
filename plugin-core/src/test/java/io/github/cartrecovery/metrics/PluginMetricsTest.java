package io.github.cartrecovery.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.github.cartrecovery.testing.TestClock;

class PluginMetricsTest {

    private final PluginMetrics metrics = PluginMetrics.inMemory();

    @AfterEach
    void endTransaction() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
        metrics.close();
    }

    @Test
    void aTransitionCountsOnlyOnceItsTransactionCommits() {
        TransactionSynchronizationManager.initSynchronization();
        metrics.messageSkipped("CART_SUBMITTED");
        assertThat(metrics.registry().find(PluginMetrics.MESSAGES_SKIPPED).counter()).isNull();

        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            synchronization.afterCommit();
        }

        assertThat(metrics.registry().get(PluginMetrics.MESSAGES_SKIPPED).tag("reason", "cart_submitted").counter().count())
                .isEqualTo(1);
    }

    @Test
    void sentMessagesAndSendTimesCountPerChannelAndOutcomeOnTheMetersLookedUpOnce() {
        metrics.messageSent("EMAIL");
        metrics.messageSent("EMAIL");
        metrics.messageSent("SMS");
        metrics.channelSend("EMAIL", "ACCEPTED", 2_000_000);
        metrics.channelSend("EMAIL", "ACCEPTED", 4_000_000);
        metrics.channelSend("EMAIL", "RETRY", 1_000_000);
        metrics.channelSend(null, "ACCEPTED", 1_000_000);

        assertThat(metrics.registry().get(PluginMetrics.MESSAGES_SENT).tag("channel", "email").counter().count()).isEqualTo(2);
        assertThat(metrics.registry().get(PluginMetrics.MESSAGES_SENT).tag("channel", "sms").counter().count()).isEqualTo(1);
        io.micrometer.core.instrument.Timer accepted = metrics.registry().get(PluginMetrics.CHANNEL_SEND)
                .tag("channel", "email").tag("outcome", "accepted").timer();
        assertThat(accepted.count()).isEqualTo(2);
        assertThat(accepted.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(6.0);
        assertThat(metrics.registry().get(PluginMetrics.CHANNEL_SEND).tag("channel", "email").tag("outcome", "retry")
                .timer().count()).isEqualTo(1);
        assertThat(metrics.registry().get(PluginMetrics.CHANNEL_SEND).tag("channel", "none").tag("outcome", "accepted")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void aRolledBackTransactionCountsNothing() {
        TransactionSynchronizationManager.initSynchronization();
        metrics.cartRecovered("usd", new BigDecimal("25.00"));
        TransactionSynchronizationManager.clearSynchronization(); // rolled back: afterCommit never runs

        assertThat(metrics.registry().find(PluginMetrics.CARTS_RECOVERED).counter()).isNull();
    }

    @Test
    void recoveredRevenueIsCountedPerCurrency() {
        metrics.cartRecovered("usd", new BigDecimal("25.00"));
        metrics.cartRecovered("USD", new BigDecimal("10.50"));
        metrics.cartRecovered("EUR", new BigDecimal("7"));

        assertThat(metrics.registry().get(PluginMetrics.CARTS_RECOVERED).tag("currency", "USD").counter().count()).isEqualTo(2);
        assertThat(metrics.registry().get(PluginMetrics.REVENUE_RECOVERED).tag("currency", "USD").counter().count()).isEqualTo(35.5);
        assertThat(metrics.scrape()).contains("cartrecovery_revenue_recovered_total{currency=\"EUR\",} 7.0");
    }

    @Test
    void exclusionReasonsBecomeStableLabelValues() {
        metrics.cartExcluded("no marketing consent");

        assertThat(metrics.scrape()).contains("cartrecovery_carts_excluded_total{reason=\"no_marketing_consent\",} 1.0");
    }

    @Test
    void jobRunsAreTimedByJobAndOutcome() {
        metrics.jobRun("deliver-messages", true, 2_000_000L);
        metrics.jobRun("deliver-messages", false, 1_000_000L);

        assertThat(metrics.registry().get(PluginMetrics.JOB_RUNS).tag("job", "deliver_messages").tag("outcome", "failed")
                .timer().count()).isEqualTo(1);
        assertThat(metrics.scrape()).contains("cartrecovery_job_runs_seconds_count{job=\"deliver_messages\",outcome=\"succeeded\",} 1.0");
    }

    @Test
    void theBacklogGaugeReadsTheDatabaseAtMostOncePerRefreshPeriod() {
        TestClock clock = new TestClock(Instant.parse("2026-03-02T10:00:00Z"));
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<Instant> oldestDue = new AtomicReference<>(Instant.parse("2026-03-02T09:58:00Z"));
        PluginMetrics everyMinute = new PluginMetrics("", 60);
        everyMinute.watchBacklog(() -> {
            reads.incrementAndGet();
            return oldestDue.get();
        }, clock);

        double first = backlog(everyMinute);
        oldestDue.set(null); // the backlog drained
        clock.advance(Duration.ofSeconds(59));
        double cached = backlog(everyMinute);
        everyMinute.scrape();
        clock.advance(Duration.ofSeconds(1));
        double refreshed = backlog(everyMinute);

        assertThat(first).isEqualTo(120);
        assertThat(cached).isEqualTo(120);
        assertThat(refreshed).isZero();
        assertThat(reads).hasValue(2);
        everyMinute.close();
    }

    @Test
    void aRefreshPeriodBelowOneSecondIsRefused() {
        assertThatThrownBy(() -> new PluginMetrics("", 0)).hasMessageContaining("cartrecovery.metrics.backlog-refresh-seconds");
    }

    @Test
    void severalContextsInOneJvmGetTheirOwnJmxDomainAndLeaveNoMBeansBehind() throws Exception {
        String wanted = "cartrecovery-test-" + UUID.randomUUID().toString().substring(0, 8);
        PluginMetrics first = new PluginMetrics(wanted, 30);
        PluginMetrics second = new PluginMetrics(wanted, 30);
        try {
            assertThat(first.jmxDomain()).isEqualTo(wanted);
            assertThat(second.jmxDomain()).isEqualTo(wanted + "-2");
            first.cartAbandoned();
            assertThat(mbeans(wanted)).isNotEmpty();
            assertThat(mbeans(wanted + "-2")).isNotEmpty();
        } finally {
            first.close();
            second.close();
        }
        assertThat(mbeans(wanted)).isEmpty();
        assertThat(mbeans(wanted + "-2")).isEmpty();
    }

    @Test
    void withoutADomainThereIsNoJmxButTheTextFormatStillWorks() {
        assertThat(metrics.jmxDomain()).isNull();
        assertThat(metrics.scrape()).contains("# TYPE cartrecovery_messages_unconfirmed_total counter");
    }

    private static double backlog(PluginMetrics metrics) {
        return metrics.registry().get(PluginMetrics.BACKLOG_AGE).gauge().value();
    }

    private static java.util.Set<ObjectName> mbeans(String domain) throws Exception {
        return ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName(domain + ":*"), null);
    }
}
