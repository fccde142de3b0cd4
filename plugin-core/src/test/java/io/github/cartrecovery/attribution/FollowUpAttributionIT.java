package io.github.cartrecovery.attribution;

import static io.github.cartrecovery.attribution.AttributionRows.ts;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.attribution.OrderAttribution.Outcome;
import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.reporting.RecoveryReport;
import io.github.cartrecovery.reporting.RecoveryReports;
import io.github.cartrecovery.reporting.ReportCsv;
import io.github.cartrecovery.reporting.ReportRollup;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;
import io.github.cartrecovery.testing.TestClock;

/**
 * Browse emails and post-purchase follow-ups earn orders as their own kind (issue 19), on real Broadleaf orders: the
 * checkout submits the order, capture marks the cart PURCHASED, the attribution job decides it once, and the report
 * shows the revenue on its own lines, never inside recovered revenue.
 */
@BroadleafWithPlugin
class FollowUpAttributionIT {

    private static final AtomicInteger STEPS = new AtomicInteger(-5000);

    @Resource(name = "crOrderAttribution")
    OrderAttribution attribution;

    @Resource(name = "crCaptureBuffer")
    CaptureBuffer buffer;

    @Resource(name = "crReportRollup")
    ReportRollup rollup;

    @Resource(name = "crRecoveryReports")
    RecoveryReports reports;

    @Resource(name = "crDataSource")
    DataSource dataSource;

    Store store;
    TestClock clock;
    JdbcTemplate jdbc;
    AttributionRows rows;
    Product scarf;
    Product gloves;

    @BeforeEach
    void setUp(PluginContext broadleaf) {
        this.store = broadleaf.store();
        this.clock = broadleaf.clock();
        this.jdbc = new JdbcTemplate(dataSource);
        this.rows = new AttributionRows(store, buffer, jdbc);
        this.scarf = store.product("Follow-up Scarf", "30.00");
        this.gloves = store.product("Follow-up Gloves", "12.00");
        clock.advance(Duration.ofDays(10)); // no message of another test is within the window
    }

    @Test
    void aClickedBrowseEmailEarnsTheOrderAsBrowseNotAsRecovery() {
        String email = uniqueEmail();
        long campaign = campaign("BROWSE");
        long message = browseEmail(campaign, email, null, clock.instant(), gloves);
        rows.clickedAt(message, clock.instant().plus(Duration.ofHours(1)));
        clock.advance(Duration.ofHours(2));
        Order order = bought(email, scarf); // not a product it showed: the click earns it

        attribution.run();

        assertThat(rows.outcome(order)).isEqualTo("BROWSE_CONVERTED");
        assertThat(credited(order)).isEqualTo(message);
        assertThat(rows.cartStatus(order)).as("only cart recovery recovers a cart").isEqualTo("PURCHASED");
        assertThat(rows.events(message, "BROWSE_CONVERTED")).isEqualTo(1);
        assertThat(rows.events(message, "RECOVERED") + rows.events(message, "INFLUENCED")).isZero();
    }

    @Test
    void anUnclickedBrowseEmailEarnsOnlyAnOrderWithAProductItShowed() {
        String withIt = uniqueEmail();
        String without = uniqueEmail();
        long campaign = campaign("BROWSE");
        long showed = browseEmail(campaign, withIt, null, clock.instant(), scarf);
        long other = browseEmail(campaign, without, null, clock.instant(), scarf);
        clock.advance(Duration.ofDays(1));
        Order withProduct = bought(withIt, scarf);
        Order withoutProduct = bought(without, gloves);

        attribution.run();

        assertThat(rows.outcome(withProduct)).isEqualTo("BROWSE_INFLUENCED");
        assertThat(rows.events(showed, "BROWSE_INFLUENCED")).isEqualTo(1);
        assertThat(rows.outcome(withoutProduct)).isEqualTo("NONE");
        assertThat(rows.events(other, "BROWSE_INFLUENCED")).isZero();
    }

    @Test
    void theCustomersBrowseEmailToAnotherAddressCounts() {
        long campaign = campaign("BROWSE");
        Order order = rows.capturedCart(uniqueEmail(), scarf);
        long customerId = jdbc.queryForObject("SELECT CUSTOMER_ID FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", Long.class,
                order.getId());
        long message = browseEmail(campaign, uniqueEmail(), customerId, clock.instant().minus(Duration.ofHours(3)), scarf);
        rows.submit(order);

        attribution.run();

        assertThat(rows.outcome(order)).isEqualTo("BROWSE_INFLUENCED");
        assertThat(credited(order)).isEqualTo(message);
    }

    @Test
    void aFollowUpEarnsTheShoppersNextOrderAsRepeatNeverTheOrderItFollowedUp() {
        String email = uniqueEmail();
        long campaign = campaign("POST_PURCHASE");
        Order first = bought(email, scarf);
        attribution.run();
        assertThat(rows.outcome(first)).isEqualTo("NONE");
        clock.advance(Duration.ofDays(1));
        long followUp = followUp(campaign, first, email, clock.instant());
        rows.clickedAt(followUp, clock.instant().plus(Duration.ofMinutes(30)));
        clock.advance(Duration.ofHours(1));
        Order second = bought(email.toUpperCase(), gloves);

        attribution.run();

        assertThat(rows.outcome(second)).isEqualTo("REPEAT_CONVERTED");
        assertThat(credited(second)).isEqualTo(followUp);
        assertThat(rows.outcome(first)).as("decided once, before").isEqualTo("NONE");
        assertThat(rows.cartStatus(second)).isEqualTo("PURCHASED");
        assertThat(rows.events(followUp, "REPEAT_CONVERTED")).isEqualTo(1);
    }

    @Test
    void anUnclickedFollowUpInfluencesTheNextOrderWithinTheWindowOnly() {
        String email = uniqueEmail();
        long campaign = campaign("POST_PURCHASE");
        Order first = bought(email, scarf);
        clock.advance(Duration.ofDays(1));
        long followUp = followUp(campaign, first, email, clock.instant());
        clock.advance(Duration.ofDays(2));
        Order second = bought(email, gloves);
        attribution.run();
        clock.advance(Duration.ofDays(7));
        Order third = bought(email, gloves);

        attribution.run();

        assertThat(rows.outcome(second)).isEqualTo("REPEAT_INFLUENCED");
        assertThat(credited(second)).isEqualTo(followUp);
        assertThat(rows.outcome(third)).as("sent more than the window before").isEqualTo("NONE");
    }

    @Test
    void aClickedCartMessageWinsOverALaterClickedBrowseEmail() {
        String email = uniqueEmail();
        long browseCampaign = campaign("BROWSE");
        Order order = rows.capturedCart(email, scarf);
        long cartMessage = cartMessage(order, email, clock.instant());
        rows.clickedAt(cartMessage, clock.instant().plus(Duration.ofMinutes(10)));
        long browse = browseEmail(browseCampaign, email, null, clock.instant(), scarf);
        rows.clickedAt(browse, clock.instant().plus(Duration.ofMinutes(20)));
        clock.advance(Duration.ofHours(1));
        rows.submit(order);

        attribution.run();

        assertThat(rows.outcome(order)).isEqualTo("RECOVERED");
        assertThat(credited(order)).isEqualTo(cartMessage);
        assertThat(rows.events(browse, "BROWSE_CONVERTED") + rows.events(browse, "BROWSE_INFLUENCED")).isZero();
    }

    @Test
    void aClickedBrowseEmailWinsOverAnUnclickedCartMessage() {
        String email = uniqueEmail();
        long browseCampaign = campaign("BROWSE");
        Order order = rows.capturedCart(email, scarf);
        long cartMessage = cartMessage(order, email, clock.instant());
        long browse = browseEmail(browseCampaign, email, null, clock.instant(), gloves);
        rows.clickedAt(browse, clock.instant().plus(Duration.ofMinutes(20)));
        clock.advance(Duration.ofHours(1));
        rows.submit(order);

        attribution.run();

        assertThat(rows.outcome(order)).isEqualTo("BROWSE_CONVERTED");
        assertThat(rows.events(cartMessage, "INFLUENCED")).isZero();
    }

    @Test
    void twoDecidersRacingDecideEachOrderOnce() throws Exception {
        long campaign = campaign("BROWSE");
        List<Long> orders = new ArrayList<>();
        List<Long> messages = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String email = uniqueEmail();
            long message = browseEmail(campaign, email, null, clock.instant(), scarf);
            rows.clickedAt(message, clock.instant().plus(Duration.ofMinutes(1)));
            messages.add(message);
        }
        clock.advance(Duration.ofMinutes(5));
        for (Long message : messages) {
            String email = jdbc.queryForObject("SELECT EMAIL FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, message);
            orders.add(bought(email, scarf).getId());
        }
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            for (final Long orderId : orders) {
                final CyclicBarrier together = new CyclicBarrier(2);
                Callable<Outcome> decide = () -> {
                    together.await(10, TimeUnit.SECONDS);
                    return attribution.decide(orderId);
                };
                Future<Outcome> a = nodes.submit(decide);
                Future<Outcome> b = nodes.submit(decide);
                Outcome first = a.get(30, TimeUnit.SECONDS);
                Outcome second = b.get(30, TimeUnit.SECONDS);
                assertThat(new Outcome[] {first, second}).as("order " + orderId)
                        .containsExactlyInAnyOrder(Outcome.BROWSE_CONVERTED, null);
            }
        } finally {
            nodes.shutdownNow();
        }
        for (int i = 0; i < orders.size(); i++) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_ORDER_ATTRIBUTION WHERE ORDER_ID = ?", Integer.class,
                    orders.get(i))).isEqualTo(1);
            assertThat(rows.events(messages.get(i), "BROWSE_CONVERTED")).isEqualTo(1);
        }
    }

    @Test
    void theReportShowsBrowseAndRepeatRevenueOnTheirOwnLines() throws Exception {
        clock.set(clock.instant().plus(Duration.ofDays(40)).atZone(ZoneOffset.UTC).toLocalDate().atTime(9, 0)
                .toInstant(ZoneOffset.UTC));
        LocalDate today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
        long browseCampaign = campaign("BROWSE");
        long followUpCampaign = campaign("POST_PURCHASE");
        String browser = uniqueEmail();
        long browse = browseEmail(browseCampaign, browser, null, clock.instant(), scarf);
        rows.clickedAt(browse, clock.instant().plus(Duration.ofMinutes(5)));
        String buyer = uniqueEmail();
        Order first = bought(buyer, gloves);
        long followUp = followUp(followUpCampaign, first, buyer, clock.instant().plus(Duration.ofMinutes(1)));
        clock.advance(Duration.ofHours(1));
        Order browsed = bought(browser, scarf);
        Order again = bought(buyer, gloves, 2);
        jdbc.update("UPDATE CR_CAPTURED_CART SET CURRENCY_CODE = 'USD' WHERE ORDER_ID IN (?, ?)", browsed.getId(), again.getId());

        attribution.run();
        rollup.run();

        assertThat(rows.outcome(browsed)).isEqualTo("BROWSE_CONVERTED");
        assertThat(rows.outcome(again)).isEqualTo("REPEAT_INFLUENCED");
        assertThat(credited(again)).isEqualTo(followUp);
        RecoveryReport browseReport = reports.query(today, today, browseCampaign);
        assertThat(browseReport.getKpis().getBrowseOrders()).isEqualTo(1);
        assertThat(browseReport.getKpis().getBrowseRevenue().get("USD")).isEqualByComparingTo(rows.total(browsed));
        assertThat(browseReport.getKpis().getRecoveredCarts()).isZero();
        assertThat(browseReport.getKpis().getRecoveredRevenue()).isEmpty();
        assertThat(browseReport.getKpis().getInfluencedRevenue()).isEmpty();
        assertThat(browseReport.getTriggers()).singleElement().satisfies(trigger -> {
            assertThat(trigger.getTriggerType()).isEqualTo("BROWSE");
            assertThat(trigger.getTotals().getBrowseOrders()).isEqualTo(1);
            assertThat(trigger.getTotals().getRecoveredRevenue()).isEmpty();
        });
        assertThat(browseReport.getSteps()).singleElement()
                .satisfies(step -> assertThat(step.getTotals().getFollowUpOrders()).isEqualTo(1));

        RecoveryReport repeatReport = reports.query(today, today, followUpCampaign);
        assertThat(repeatReport.getKpis().getRepeatOrders()).isEqualTo(1);
        assertThat(repeatReport.getKpis().getRepeatRevenue().get("USD")).isEqualByComparingTo(rows.total(again));
        assertThat(repeatReport.getKpis().getBrowseOrders()).isZero();
        assertThat(repeatReport.getKpis().getRecoveredRevenue()).isEmpty();

        StringWriter csv = new StringWriter();
        ReportCsv.write(browseReport, csv);
        assertThat(csv.toString()).contains("browse_orders,,1,BROWSE")
                .contains("browse_revenue,USD," + rows.total(browsed).stripTrailingZeros().toPlainString() + ",BROWSE")
                .doesNotContain("recovered_revenue,USD");

        // the job and the rollup again: nothing counts twice
        attribution.run();
        rollup.run();
        assertThat(reports.query(today, today, browseCampaign).getKpis().getBrowseOrders()).isEqualTo(1);
    }

    private long campaign(String triggerType) {
        String name = "Follow-up " + triggerType + " " + UUID.randomUUID();
        Timestamp now = ts(clock.instant());
        jdbc.update("INSERT INTO CR_CAMPAIGN (NAME, STATUS, PRIORITY, TRIGGER_TYPE, CREATED_AT, UPDATED_AT) "
                + "VALUES (?, 'DISABLED', -100, ?, ?, ?)", name, triggerType, now, now);
        return jdbc.queryForObject("SELECT ID FROM CR_CAMPAIGN WHERE NAME = ?", Long.class, name);
    }

    /** What the browse planner and delivery leave behind: a session with its products and a sent message. */
    private long browseEmail(long campaign, String email, Long customerId, Instant sentAt, Product... shown) {
        String address = email.toLowerCase();
        Timestamp viewed = ts(sentAt.minus(Duration.ofHours(1)));
        jdbc.update("INSERT INTO CR_BROWSE_SESSION (EMAIL, CUSTOMER_ID, LOCALE_CODE, CURRENCY_CODE, STATUS, FIRST_VIEW_AT, "
                + "LAST_VIEW_AT, STATUS_CHANGED_AT) VALUES (?, ?, 'en_US', 'USD', 'PLANNED', ?, ?, ?)",
                address, customerId, viewed, viewed, viewed);
        long session = jdbc.queryForObject("SELECT MAX(ID) FROM CR_BROWSE_SESSION WHERE EMAIL = ?", Long.class, address);
        for (Product product : shown) {
            jdbc.update("INSERT INTO CR_BROWSE_PRODUCT (SESSION_ID, PRODUCT_ID, VIEWS, LAST_VIEWED_AT) VALUES (?, ?, 1, ?)",
                    session, product.getId(), viewed);
        }
        int step = STEPS.decrementAndGet();
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (BROWSE_SESSION_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, STATUS, DUE_AT,"
                + " ATTEMPTS, SENT_AT, CREATED_AT, UPDATED_AT, TRIGGER_TYPE) VALUES (?, ?, ?, 1, ?, 'SENT', ?, 1, ?, ?, ?, 'BROWSE')",
                session, campaign, step, address, ts(sentAt), ts(sentAt), ts(sentAt), ts(sentAt));
        return sent(jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE BROWSE_SESSION_ID = ? AND STEP_ID = ?",
                Long.class, session, step), sentAt);
    }

    /** What the post-purchase planner and delivery leave behind: the bought order's sent follow-up. */
    private long followUp(long campaign, Order bought, String email, Instant sentAt) {
        int step = STEPS.decrementAndGet();
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, STATUS, DUE_AT,"
                + " ATTEMPTS, SENT_AT, CREATED_AT, UPDATED_AT, TRIGGER_TYPE) VALUES (?, ?, ?, 1, ?, 'SENT', ?, 1, ?, ?, ?,"
                + " 'POST_PURCHASE')", bought.getId(), campaign, step, email.toLowerCase(), ts(sentAt), ts(sentAt),
                ts(sentAt), ts(sentAt));
        return sent(jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_ID = ?", Long.class,
                bought.getId(), step), sentAt);
    }

    /** A cart-recovery message of the default campaign, sent to the cart. */
    private long cartMessage(Order cart, String email, Instant sentAt) {
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, STATUS, DUE_AT, ATTEMPTS,"
                + " SENT_AT, CREATED_AT, UPDATED_AT) VALUES (?, -1, -1, 1, ?, 'SENT', ?, 1, ?, ?, ?)",
                cart.getId(), email.toLowerCase(), ts(sentAt), ts(sentAt), ts(sentAt), ts(sentAt));
        return sent(jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_ID = -1", Long.class,
                cart.getId()), sentAt);
    }

    private long sent(long message, Instant at) {
        jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT) VALUES (?, 'SENT', ?)",
                message, ts(at));
        return message;
    }

    private Order bought(String email, Product product) {
        return bought(email, product, 1);
    }

    private Order bought(String email, Product product, int quantity) {
        Order cart = store.add(store.cartWithEmail(email), product, quantity);
        buffer.flush();
        rows.submit(cart);
        return cart;
    }

    private Long credited(Order cart) {
        return jdbc.queryForObject("SELECT PLANNED_MESSAGE_ID FROM CR_ORDER_ATTRIBUTION WHERE ORDER_ID = ?", Long.class,
                cart.getId());
    }

    private static String uniqueEmail() {
        return AttributionRows.uniqueEmail("follow");
    }
}
