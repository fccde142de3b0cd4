package io.github.cartrecovery.browse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import io.github.cartrecovery.capture.ThrottledLog;

/** Product views wait in memory, one entry per address and product, and reach the database only when flushed. */
class BrowseBufferTest {

    private static final Instant NOON = Instant.parse("2026-12-07T12:00:00Z");

    private final BrowseSessions sessions = mock(BrowseSessions.class);
    private final Log log = mock(Log.class);
    private final ThrottledLog throttled = new ThrottledLog(log, Clock.fixed(NOON, ZoneOffset.UTC), Duration.ofMinutes(1));

    private BrowseBuffer buffer(boolean enabled, int max) {
        return new BrowseBuffer(sessions, enabled, 0, max, throttled);
    }

    private static BrowseView view(String email, long productId, Instant at) {
        return new BrowseView(email, 7L, productId, "en_US", "USD", at);
    }

    @Test
    void anOfferTouchesNoDatabaseUntilTheFlush() {
        BrowseBuffer buffer = buffer(true, 10);

        assertThat(buffer.offer(view("a@example.com", 1, NOON))).isTrue();

        verifyNoInteractions(sessions);
        assertThat(buffer.pendingCount()).isEqualTo(1);
    }

    @Test
    void viewsOfOneProductByOneAddressCoalesceIntoTheLatestWithTheirCount() {
        BrowseBuffer buffer = buffer(true, 10);
        when(sessions.record(anyList())).thenReturn(Collections.<BrowseView>emptyList());
        buffer.offer(view("A@Example.com ", 1, NOON.plusSeconds(60)));
        buffer.offer(view("a@example.com", 1, NOON));
        buffer.offer(view("a@example.com", 2, NOON));

        buffer.flush();

        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<BrowseView>> written = ArgumentCaptor.forClass(List.class);
        verify(sessions).record(written.capture());
        assertThat(written.getValue()).hasSize(2);
        BrowseView first = written.getValue().stream().filter(v -> v.getProductId() == 1).findFirst().get();
        assertThat(first.getViews()).isEqualTo(2);
        assertThat(first.getViewedAt()).isEqualTo(NOON.plusSeconds(60));
        assertThat(first.getEmail()).isEqualTo("a@example.com");
        assertThat(buffer.pendingCount()).isZero();
    }

    @Test
    void switchedOffItTakesNothing() {
        BrowseBuffer buffer = buffer(false, 10);

        assertThat(buffer.offer(view("a@example.com", 1, NOON))).isFalse();
        buffer.flush();

        assertThat(buffer.pendingCount()).isZero();
        verify(sessions, never()).record(anyList());
    }

    @Test
    void atTheBoundANewEntryIsDroppedAndCountedButAWaitingOneStillCoalesces() {
        BrowseBuffer buffer = buffer(true, 1);
        buffer.offer(view("a@example.com", 1, NOON));

        assertThat(buffer.offer(view("b@example.com", 1, NOON))).isFalse();
        assertThat(buffer.offer(view("a@example.com", 1, NOON.plusSeconds(5)))).isTrue();

        assertThat(buffer.droppedCount()).isEqualTo(1);
        assertThat(buffer.pendingCount()).isEqualTo(1);
    }

    @Test
    void whatTheDatabaseCouldNotTakeWaitsForTheNextFlush() {
        BrowseBuffer buffer = buffer(true, 10);
        List<BrowseView> unwritten = new ArrayList<BrowseView>();
        when(sessions.record(anyList())).thenAnswer(call -> {
            unwritten.addAll(call.getArgument(0));
            return unwritten;
        });
        buffer.offer(view("a@example.com", 1, NOON));

        buffer.flush();

        assertThat(buffer.pendingCount()).isEqualTo(1);
    }

    @Test
    void aViewWithoutAUsableAddressIsRefusedNamingTheField() {
        assertThatThrownBy(() -> view("  ", 1, NOON)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("email");
        assertThatThrownBy(() -> view("a@example.com", 0, NOON)).hasMessageContaining("productId");
    }
}
