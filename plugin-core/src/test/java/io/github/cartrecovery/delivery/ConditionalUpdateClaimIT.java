package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * The claim used on HSQLDB (and any database without SKIP LOCKED), on the real database: a node whose candidates
 * are all taken by another node between its read and its update still claims its share of what is due, rather than
 * coming back empty (and leaving the whole pile to the faster node until its next run).
 */
@BroadleafWithPlugin
class ConditionalUpdateClaimIT {

    @Test
    void candidatesLostToAnotherNodeAreMadeUpFromTheNextDueRows(PluginContext store) {
        RecoveryFixture fixture = new RecoveryFixture(store);
        fixture.nextMorning();
        Order cart = fixture.abandonedCart(RecoveryFixture.uniqueEmail("claim-race"));
        long campaignId = fixture.pile(cart.getId(), 12, "claim-race.example.com");
        String me = RecoveryFixture.uniqueEmail("claimer");
        String rival = RecoveryFixture.uniqueEmail("rival");
        Instant now = fixture.clock.instant();
        Instant lease = now.plus(Duration.ofMinutes(10));
        RivalFirst jdbc = new RivalFirst(fixture.jdbc, rival, lease, now);
        try {
            List<Long> claimed = new ConditionalUpdateClaim().claim(jdbc, "EMAIL", me, now, lease, 5);

            assertThat(jdbc.takenByRival).as("the rival took every candidate of the first read").hasSize(5);
            assertThat(claimed).as("claimed after losing the first read's rows").hasSize(5)
                    .doesNotContainAnyElementsOf(jdbc.takenByRival);
            for (Long id : claimed) {
                assertThat(fixture.jdbc.queryForObject("SELECT CLAIMED_BY FROM CR_PLANNED_MESSAGE WHERE ID = ? "
                        + "AND STATUS = 'CLAIMED'", String.class, id)).isEqualTo(me);
            }
        } finally {
            // other tests' due rows may have been among the candidates: give back everything this test claimed
            fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', CLAIMED_BY = NULL, LEASE_UNTIL = NULL "
                    + "WHERE STATUS = 'CLAIMED' AND CLAIMED_BY IN (?, ?)", me, rival);
            fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SKIPPED' WHERE CAMPAIGN_ID = ?", campaignId);
            fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", campaignId);
        }
    }

    /** A JDBC template on the real database whose first batch of takes finds every row taken by a rival node. */
    private static final class RivalFirst extends JdbcTemplate {
        private final JdbcTemplate plain;
        private final String rival;
        private final Instant lease;
        private final Instant now;
        private List<Long> takenByRival = java.util.Collections.emptyList();

        RivalFirst(JdbcTemplate plain, String rival, Instant lease, Instant now) {
            super(plain.getDataSource());
            this.plain = plain;
            this.rival = rival;
            this.lease = lease;
            this.now = now;
        }

        @Override
        public int[] batchUpdate(String sql, List<Object[]> batchArgs) {
            if (takenByRival.isEmpty()) {
                takenByRival = new java.util.ArrayList<>();
                for (Object[] take : batchArgs) {
                    Long id = (Long) take[3];
                    plain.update(ConditionalUpdateClaim.TAKE, rival, new Timestamp(lease.toEpochMilli()),
                            new Timestamp(now.toEpochMilli()), id);
                    takenByRival.add(id);
                }
            }
            return super.batchUpdate(sql, batchArgs);
        }
    }
}
