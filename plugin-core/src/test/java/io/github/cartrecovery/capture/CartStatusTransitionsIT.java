package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.testing.PluginSchema;
import io.github.cartrecovery.testing.TestDatabase;

/** Every transition of CR_CAPTURED_CART.STATUS made after capture, on the plugin's schema (no Broadleaf needed). */
class CartStatusTransitionsIT {

    private static final Instant SEEN = Instant.parse("2026-12-06T08:00:00Z");
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final AtomicLong ORDER_IDS = new AtomicLong(1000);

    private static TestDatabase database;
    private static JdbcTemplate jdbc;
    private final CartStatusTransitions transitions = new CartStatusTransitions(jdbc);

    @BeforeAll
    static void schema() throws Exception {
        database = TestDatabase.create("cart-status");
        PluginSchema.migrate(database.dataSource());
        jdbc = new JdbcTemplate(database.dataSource());
    }

    @AfterAll
    static void drop() {
        database.close();
    }

    @Test
    void detectionAbandonsAnIdleCartOnce() throws Exception {
        long cart = cart(CartStatus.ACTIVE);

        assertThat(leaveActive(cart, SEEN, CartStatus.ABANDONED, null)).isTrue();
        assertThat(leaveActive(cart, SEEN, CartStatus.ABANDONED, null)).isFalse();

        Map<String, Object> row = row(cart);
        assertThat(row.get("STATUS")).isEqualTo("ABANDONED");
        assertThat(row.get("ABANDONED_AT")).isNotNull();
        assertThat(row.get("EXCLUSION_REASON")).isNull();
    }

    @Test
    void detectionExcludesWithTheReasonAndSetsNoAbandonmentTime() throws Exception {
        long cart = cart(CartStatus.ACTIVE);

        assertThat(leaveActive(cart, SEEN, CartStatus.EXCLUDED, "internal address")).isTrue();

        Map<String, Object> row = row(cart);
        assertThat(row.get("STATUS")).isEqualTo("EXCLUDED");
        assertThat(row.get("EXCLUSION_REASON")).isEqualTo("internal address");
        assertThat(row.get("ABANDONED_AT")).isNull();
    }

    @Test
    void detectionLeavesACartTouchedSinceItWasRead() throws Exception {
        long cart = cart(CartStatus.ACTIVE);

        assertThat(leaveActive(cart, SEEN.minusSeconds(60), CartStatus.ABANDONED, null)).isFalse();

        assertThat(row(cart).get("STATUS")).isEqualTo("ACTIVE");
    }

    @Test
    void detectionCannotTakeACartIntoRecovery() {
        long cart = cart(CartStatus.ACTIVE);

        assertThatThrownBy(() -> leaveActive(cart, SEEN, CartStatus.IN_RECOVERY, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IN_RECOVERY");
    }

    @Test
    void planningTakesAnAbandonedCartOnce() {
        long cart = cart(CartStatus.ABANDONED);

        assertThat(transitions.startRecovery(cart, NOW)).isTrue();
        assertThat(transitions.startRecovery(cart, NOW)).isFalse();

        assertThat(row(cart)).containsEntry("STATUS", "IN_RECOVERY");
        assertThat(statusChangedAt(cart)).isEqualTo(NOW);
    }

    @Test
    void planningHoldsOutACartItTookForAnExperimentsHoldout() {
        long cart = cart(CartStatus.ABANDONED);
        long notTaken = cart(CartStatus.ABANDONED);
        transitions.startRecovery(cart, NOW);

        assertThat(transitions.holdOut(cart, NOW)).isTrue();
        assertThat(transitions.holdOut(notTaken, NOW)).isFalse();

        assertThat(row(cart)).containsEntry("STATUS", "HELD_OUT");
        assertThat(row(notTaken)).containsEntry("STATUS", "ABANDONED");
        assertThat(CartStatus.HELD_OUT.isFinal()).as("a held-out cart can still be bought or deleted").isFalse();
    }

    @Test
    void planningExcludesWithTheReason() {
        long cart = cart(CartStatus.ABANDONED);
        transitions.startRecovery(cart, NOW);

        transitions.exclude(cart, "no email address", NOW);

        assertThat(row(cart)).containsEntry("STATUS", "EXCLUDED").containsEntry("EXCLUSION_REASON", "no email address");
    }

    @Test
    void attributionRecoversAPurchaseAndKeepsThePurchaseTime() {
        long bought = cart(CartStatus.PURCHASED);
        long active = cart(CartStatus.ACTIVE);

        assertThat(transitions.recoverPurchase(bought)).isTrue();
        assertThat(transitions.recoverPurchase(active)).isFalse();

        assertThat(row(bought)).containsEntry("STATUS", "RECOVERED");
        assertThat(statusChangedAt(bought)).isEqualTo(SEEN);
        assertThat(row(active)).containsEntry("STATUS", "ACTIVE");
    }

    @Test
    void attributionRecoversTheOriginalOfABoughtCopyOnlyWhileItIsOpen() {
        for (CartStatus status : CartStatus.values()) {
            long original = cart(status);

            assertThat(transitions.recoverOriginal(original, NOW)).as(status.name()).isEqualTo(!status.isFinal());

            assertThat(row(original).get("STATUS")).as(status.name())
                    .isEqualTo(status.isFinal() ? status.name() : "RECOVERED");
        }
    }

    private static boolean leaveActive(long orderId, Instant lastActivity, CartStatus next, String reason) throws Exception {
        try (Connection connection = database.dataSource().getConnection()) {
            return CartStatusTransitions.leaveActive(connection, orderId, Timestamp.from(lastActivity), next, reason, NOW);
        }
    }

    private static long cart(CartStatus status) {
        long orderId = ORDER_IDS.incrementAndGet();
        Timestamp seen = Timestamp.from(SEEN);
        jdbc.update("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, STATUS, FIRST_SEEN, LAST_ACTIVITY, STATUS_CHANGED_AT)"
                + " VALUES (?, 'jane@example.com', ?, ?, ?, ?)", orderId, status.name(), seen, seen, seen);
        return orderId;
    }

    private static Map<String, Object> row(long orderId) {
        return jdbc.queryForMap("SELECT STATUS, ABANDONED_AT, EXCLUSION_REASON FROM CR_CAPTURED_CART WHERE ORDER_ID = ?",
                orderId);
    }

    private static Instant statusChangedAt(long orderId) {
        return jdbc.queryForObject("SELECT STATUS_CHANGED_AT FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", Timestamp.class,
                orderId).toInstant();
    }
}
