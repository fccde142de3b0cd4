package io.github.cartrecovery.attribution;

import static io.github.cartrecovery.attribution.AttributionRows.ts;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.common.web.BroadleafRequestContext;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.attribution.OrderAttribution.Outcome;
import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.reporting.RecoveryReport;
import io.github.cartrecovery.reporting.RecoveryReports;
import io.github.cartrecovery.reporting.ReportRollup;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;
import io.github.cartrecovery.testing.TestClock;

/**
 * Attribution on real Broadleaf orders: the shopper's checkout submits the order, capture marks the cart
 * PURCHASED, and the attribution job credits it (or not) to the recovery messages sent before.
 */
@BroadleafWithPlugin
class OrderAttributionIT {

    @Resource(name = "crOrderAttribution")
    OrderAttribution attribution;

    @Resource(name = "crCaptureBuffer")
    CaptureBuffer buffer;

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    @Resource(name = "crReportRollup")
    ReportRollup rollup;

    @Resource(name = "crRecoveryReports")
    RecoveryReports reports;

    @Resource(name = "crDataSource")
    DataSource dataSource;

    PluginContext broadleaf;
    Store store;
    TestClock clock;
    JdbcTemplate jdbc;
    AttributionRows rows;
    Product mug;

    @BeforeEach
    void setUp(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        this.store = broadleaf.store();
        this.clock = broadleaf.clock();
        this.jdbc = new JdbcTemplate(dataSource);
        this.rows = new AttributionRows(store, buffer, jdbc);
        this.mug = store.product("Attribution Mug", "15.00");
        clock.advance(Duration.ofDays(10)); // no message of another test is within the window
    }

    @Test
    void clickedThenBoughtCountsAsRecoveredOnce() {
        String email = uniqueEmail();
        Order cart = capturedCart(email);
        long message = sentMessage(cart.getId(), email, clock.instant());
        rows.clickedAt(message, clock.instant().plus(Duration.ofHours(1)));
        clock.advance(Duration.ofHours(2));
        rows.submit(cart);

        attribution.run();
        assertThat(rows.outcome(cart)).isEqualTo("RECOVERED");
        assertThat(rows.cartStatus(cart)).isEqualTo("RECOVERED");
        assertThat(rows.events(message, "RECOVERED")).isEqualTo(1);

        // a second click, a repeated click event, and the job running again: still one recovery
        rows.clickedAt(message, clock.instant().plus(Duration.ofMinutes(5)));
        rows.clickedAt(message, clock.instant().plus(Duration.ofMinutes(5)));
        attribution.run();
        attribution.run();
        assertThat(attribution.decide(cart.getId())).isNull();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_ORDER_ATTRIBUTION WHERE ORDER_ID = ?", Integer.class,
                cart.getId())).isEqualTo(1);
        assertThat(rows.events(message, "RECOVERED")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT PLANNED_MESSAGE_ID FROM CR_ORDER_ATTRIBUTION WHERE ORDER_ID = ?", Long.class,
                cart.getId())).isEqualTo(message);
    }

    @Test
    void boughtWithoutAClickCountsAsInfluenced() {
        String email = uniqueEmail();
        Order abandoned = capturedCart(email);
        long message = sentMessage(abandoned.getId(), email, clock.instant());
        clock.advance(Duration.ofDays(2));
        Order later = capturedCart(email.toUpperCase()); // same address, another cart, never clicked
        rows.submit(later);

        attribution.run();

        assertThat(rows.outcome(later)).isEqualTo("INFLUENCED");
        assertThat(rows.cartStatus(later)).isEqualTo("PURCHASED");
        assertThat(rows.events(message, "INFLUENCED")).isEqualTo(1);
    }

    @Test
    void aClickAfterThePurchaseDoesNotMakeItRecovered() {
        String email = uniqueEmail();
        Order cart = capturedCart(email);
        long message = sentMessage(cart.getId(), email, clock.instant());
        clock.advance(Duration.ofHours(3));
        rows.submit(cart);
        rows.clickedAt(message, clock.instant().plus(Duration.ofMinutes(1)));

        attribution.run();

        assertThat(rows.outcome(cart)).isEqualTo("INFLUENCED");
    }

    @Test
    void boughtAfterTheWindowCountsAsNeither() {
        String email = uniqueEmail();
        Order cart = capturedCart(email);
        long message = sentMessage(cart.getId(), email, clock.instant());
        rows.clickedAt(message, clock.instant().plus(Duration.ofHours(1)));
        clock.advance(Duration.ofDays(7).plus(Duration.ofMinutes(1)));
        rows.submit(cart);

        attribution.run();

        assertThat(rows.outcome(cart)).isEqualTo("NONE");
        assertThat(rows.cartStatus(cart)).isEqualTo("PURCHASED");
        assertThat(rows.events(message, "RECOVERED") + rows.events(message, "INFLUENCED")).isZero();
    }

    @Test
    void anOrderCreatedInTheAdminIsNotCounted() {
        String email = uniqueEmail();
        BroadleafRequestContext request = BroadleafRequestContext.getBroadleafRequestContext();
        boolean ownContext = request == null;
        if (ownContext) {
            request = new BroadleafRequestContext();
            BroadleafRequestContext.setBroadleafRequestContext(request);
        }
        Order cart;
        Boolean wasAdmin = request.getAdmin();
        request.setAdmin(true); // a CSR building the order in the Broadleaf admin
        try {
            cart = capturedCart(email);
        } finally {
            request.setAdmin(wasAdmin);
            if (ownContext) {
                BroadleafRequestContext.setBroadleafRequestContext(null);
            }
        }
        assertThat(jdbc.queryForObject("SELECT ORIGIN FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class,
                cart.getId())).isEqualTo("ADMIN");
        long message = sentMessage(cart.getId(), email, clock.instant());
        rows.clickedAt(message, clock.instant().plus(Duration.ofMinutes(10)));
        clock.advance(Duration.ofHours(1));
        rows.submit(cart);

        attribution.run();

        assertThat(rows.outcome(cart)).isEqualTo("NONE");
        assertThat(rows.events(message, "RECOVERED")).isZero();
    }

    @Test
    void revenueIsKeptPerCurrency() {
        clock.set(clock.instant().plus(Duration.ofDays(30)).atZone(ZoneOffset.UTC).toLocalDate().atTime(10, 0)
                .toInstant(ZoneOffset.UTC));
        LocalDate today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
        Order dollars = recoveredOrder(uniqueEmail(), 2);
        Order euros = recoveredOrder(uniqueEmail(), 1);
        // the test store's orders carry no currency: as if the shoppers had checked out on a USD and a EUR site
        jdbc.update("UPDATE CR_CAPTURED_CART SET CURRENCY_CODE = 'USD' WHERE ORDER_ID = ?", dollars.getId());
        jdbc.update("UPDATE CR_CAPTURED_CART SET CURRENCY_CODE = 'EUR' WHERE ORDER_ID = ?", euros.getId());

        attribution.run();
        rollup.run();

        assertThat(rows.outcome(dollars)).isEqualTo("RECOVERED");
        assertThat(rows.outcome(euros)).isEqualTo("RECOVERED");
        RecoveryReport report = reports.query(today, today, -1L);
        Map<String, BigDecimal> revenue = report.getKpis().getRecoveredRevenue();
        assertThat(revenue.keySet()).containsExactly("EUR", "USD");
        assertThat(revenue.get("USD")).isEqualByComparingTo(rows.total(dollars));
        assertThat(revenue.get("EUR")).isEqualByComparingTo(rows.total(euros));
        assertThat(report.getKpis().getRecoveredCarts()).isEqualTo(2);
        assertThat(report.getSteps()).singleElement()
                .satisfies(step -> assertThat(step.getTotals().getRecoveredRevenue()).isEqualTo(revenue));

        attribution.run();
        rollup.run();
        assertThat(reports.query(today, today, -1L).getKpis().getRecoveredRevenue()).isEqualTo(revenue);
    }

    @Test
    void thePlannerRecordsAPlannedEventPerMessage() {
        String email = uniqueEmail();
        Order cart = capturedCart(email);
        jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'ABANDONED', ABANDONED_AT = ?, LOCALE_CODE = 'en_US' WHERE ORDER_ID = ?",
                ts(clock.instant()), cart.getId());

        planner.planDue();

        List<Long> messages = jdbc.queryForList("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", Long.class, cart.getId());
        assertThat(messages).isNotEmpty();
        for (Long message : messages) {
            assertThat(rows.events(message, "PLANNED")).isEqualTo(1);
        }
    }

    private Order recoveredOrder(String email, int quantity) {
        Order cart = store.add(store.cartWithEmail(email), mug, quantity);
        buffer.flush();
        long message = sentMessage(cart.getId(), email, clock.instant().minus(Duration.ofHours(2)));
        rows.clickedAt(message, clock.instant().minus(Duration.ofHours(1)));
        rows.submit(cart);
        return cart;
    }

    private Order capturedCart(String email) {
        return rows.capturedCart(email, mug);
    }

    /** A message of the default campaign's first step, sent to the cart at {@code sentAt}. */
    private long sentMessage(long orderId, String email, Instant sentAt) {
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, STATUS, DUE_AT, ATTEMPTS,"
                + " SENT_AT, CREATED_AT, UPDATED_AT) VALUES (?, -1, -1, 1, ?, 'SENT', ?, 1, ?, ?, ?)",
                orderId, email.toLowerCase(), ts(sentAt), ts(sentAt), ts(sentAt), ts(sentAt));
        long id = jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_ID = -1", Long.class, orderId);
        jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT) VALUES (?, 'SENT', ?)",
                id, ts(sentAt));
        return id;
    }

    private static String uniqueEmail() {
        return AttributionRows.uniqueEmail("attr");
    }
}
