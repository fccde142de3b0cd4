package io.github.cartrecovery.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.TestClock;

/** Opens and clicks in CR_MESSAGE_EVENT on the real schema: bounded per message and type, and cluster-safe. */
@BroadleafWithPlugin
class TrackedMessagesIT {

    static final String CHROME = RecordedVisits.named("chrome-desktop").userAgent();

    @Resource(name = "crDataSource")
    DataSource dataSource;

    @Resource(name = "crScannerRules")
    ScannerRules scanners;

    TestClock clock;
    JdbcTemplate jdbc;
    TrackedMessages messages;

    @BeforeEach
    void setUp(PluginContext broadleaf) {
        clock = broadleaf.clock();
        jdbc = new JdbcTemplate(dataSource);
        messages = node(true);
    }

    TrackedMessages node(boolean openPixel) {
        return new TrackedMessages(dataSource, clock, scanners, openPixel, 5, 60);
    }

    /** A message id no other test uses (events need no planned message row). */
    static long newMessage() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
    }

    TrackedMessages.TrackedMessage sentAnHourAgo(long id) {
        return new TrackedMessages.TrackedMessage(id, 1L, "jane@example.com", 1, clock.instant().minus(Duration.ofHours(1)),
                "EMAIL", "ABANDONED_CART");
    }

    int events(long message, String type) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? AND EVENT_TYPE = ?",
                Integer.class, message, type);
    }

    @Test
    void replayingALinkAHundredTimesRecordsOneClick() {
        long message = newMessage();

        for (int i = 0; i < 100; i++) {
            messages.record(message, TrackedMessages.CLICKED, "restore");
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(events(message, TrackedMessages.CLICKED)).isEqualTo(1);
    }

    @Test
    void laterVisitsAreRecordedOncePerIntervalUpToTheCap() {
        long message = newMessage();

        List<Boolean> recorded = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            recorded.add(messages.record(message, TrackedMessages.OPENED, null));
            recorded.add(messages.record(message, TrackedMessages.OPENED, null)); // within the interval: nothing
            clock.advance(Duration.ofMinutes(61));
        }

        assertThat(recorded.stream().filter(Boolean::booleanValue).count()).isEqualTo(5);
        assertThat(jdbc.queryForList("SELECT TRACKING_SLOT FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? ORDER BY ID",
                Integer.class, message)).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void eachTypeHasItsOwnBound() {
        long message = newMessage();

        assertThat(messages.record(message, TrackedMessages.OPENED, null)).isTrue();
        assertThat(messages.record(message, TrackedMessages.CLICKED, "restore")).isTrue();
        assertThat(messages.record(message, TrackedMessages.SCANNED, "restore: HEAD request")).isTrue();
        assertThat(messages.record(message, TrackedMessages.CLICKED, "restore")).isFalse();
    }

    @Test
    void theDatabaseRefusesASecondRowInTheSameSlot() {
        long message = newMessage();
        messages.record(message, TrackedMessages.CLICKED, "restore");

        assertThatThrownBy(() -> jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, "
                + "TRACKING_SLOT) VALUES (?, 'CLICKED', ?, 1)", message, new Timestamp(clock.millis())))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void otherEventsAreNotBoundByTheSlots() {
        long message = newMessage();
        for (int i = 0; i < 3; i++) {
            jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT) VALUES (?, 'RETRY_SCHEDULED', ?)",
                    message, new Timestamp(clock.millis()));
        }

        assertThat(events(message, "RETRY_SCHEDULED")).isEqualTo(3);
    }

    @Test
    void twoNodesAnsweringTheSameReplayAtOnceRecordOneClick() throws Exception {
        TrackedMessages nodeA = node(true);
        TrackedMessages nodeB = node(true);
        List<Long> ids = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 200; round++) {
                long message = newMessage();
                ids.add(message);
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Boolean> a = pool.submit(() -> { together.await(); return nodeA.record(message, "CLICKED", "restore"); });
                Future<Boolean> b = pool.submit(() -> { together.await(); return nodeB.record(message, "CLICKED", "restore"); });
                assertThat(a.get() ^ b.get()).as("exactly one node recorded message " + message).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }

        for (long message : ids) {
            assertThat(events(message, TrackedMessages.CLICKED)).as("clicks of " + message).isEqualTo(1);
        }
    }

    @Test
    void aScannersVisitIsScannedWithItsReasonAndNeverAClick() {
        long message = newMessage();
        RecordedVisits.Visit mimecast = RecordedVisits.named("mimecast-url-protect");

        VisitVerdict verdict = messages.recordVisit(sentAnHourAgo(message), TrackedMessages.CLICKED, "restore",
                new LinkVisit("GET", mimecast.userAgent(), mimecast.address(), clock.instant()));

        assertThat(verdict.getKind()).isEqualTo(VisitVerdict.Kind.SCANNER);
        assertThat(events(message, TrackedMessages.CLICKED)).isZero();
        assertThat(jdbc.queryForObject("SELECT DETAIL FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? AND EVENT_TYPE = 'SCANNED'",
                String.class, message)).isEqualTo("restore: scanner user agent (mimecast)");
    }

    @Test
    void aPersonsVisitIsAClick() {
        long message = newMessage();

        messages.recordVisit(sentAnHourAgo(message), TrackedMessages.CLICKED, "restore",
                new LinkVisit("GET", CHROME, "203.0.113.77", clock.instant()));

        assertThat(events(message, TrackedMessages.CLICKED)).isEqualTo(1);
    }

    @Test
    void withThePixelSwitchedOffAnOpenRecordsNothingAtAll() {
        long message = newMessage();

        node(false).recordVisit(sentAnHourAgo(message), TrackedMessages.OPENED, null,
                new LinkVisit("GET", CHROME, "203.0.113.77", clock.instant()));
        node(false).recordVisit(sentAnHourAgo(message), TrackedMessages.OPENED, null,
                new LinkVisit("HEAD", CHROME, "203.0.113.77", clock.instant()));

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ?", Integer.class, message))
                .isZero();
    }

    @Test
    void noStoredEventHoldsTheVisitorsAddress() {
        long message = newMessage();
        for (RecordedVisits.Visit visit : RecordedVisits.all()) {
            clock.advance(Duration.ofMinutes(61));
            for (String type : new String[] {TrackedMessages.OPENED, TrackedMessages.CLICKED}) {
                messages.recordVisit(sentAnHourAgo(message), type, "restore", visit.at(clock.instant().minus(visit.afterSending())));
            }
        }

        List<String> stored = jdbc.queryForList("SELECT DETAIL FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ?", String.class, message);
        assertThat(stored).isNotEmpty();
        for (RecordedVisits.Visit visit : RecordedVisits.all()) {
            String network = IpAddresses.truncate(visit.address()).replaceFirst("(\\.0/24|::/48)$", "");
            assertThat(stored).noneMatch(detail -> detail != null && detail.contains(network));
        }
    }
}
