package io.github.cartrecovery.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import io.github.cartrecovery.testing.TestDatabase;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * The retention job on the plugin's own schema (a scratch database of the selected kind): what is old goes, in
 * bounded batches; what is still needed stays; the report rollups are never touched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionPurgeIT {

    static final Instant NOW = Instant.parse("2027-06-01T10:00:00Z");
    static final Timestamp OLD = Timestamp.from(NOW.minus(Duration.ofDays(500)));
    static final Timestamp RECENT = Timestamp.from(NOW.minus(Duration.ofDays(3)));

    TestDatabase database;
    JdbcTemplate jdbc;

    @BeforeAll
    void schema() throws Exception {
        database = TestDatabase.create("retention");
        try (Connection connection = database.dataSource().getConnection()) {
            Database liquibaseDatabase = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            liquibaseDatabase.setDatabaseChangeLogTableName("CR_DATABASECHANGELOG");
            liquibaseDatabase.setDatabaseChangeLogLockTableName("CR_DATABASECHANGELOGLOCK");
            new Liquibase("db/changelog/cartrecovery-master.xml", new ClassLoaderResourceAccessor(), liquibaseDatabase)
                    .update(new Contexts(), new LabelExpression());
        }
        jdbc = new JdbcTemplate(database.dataSource());
    }

    @AfterAll
    void drop() {
        database.close();
    }

    @BeforeEach
    void empty() {
        for (String table : new String[] {"CR_BROWSE_PRODUCT", "CR_BROWSE_SESSION", "CR_POST_PURCHASE", "CR_EXPERIMENT_ASSIGNMENT", "CR_EXPERIMENT", "CR_COUPON", "CR_MESSAGE_EVENT", "CR_PLANNED_MESSAGE", "CR_CAPTURED_CART_ITEM",
                "CR_CAPTURED_CART", "CR_ORDER_ATTRIBUTION", "CR_REPORT_DAILY", "CR_REPORT_CART"}) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    @Test
    void purgesOldCartsInBoundedBatchesAcrossRuns() {
        for (long order = 1; order <= 5; order++) {
            cart(order, "PURCHASED", OLD);
        }
        RetentionPurge purge = purge(2, 2);

        assertThat(purge.run()).isEqualTo(4);
        assertThat(count("CR_CAPTURED_CART")).isEqualTo(1);
        assertThat(purge.run()).isEqualTo(1);
        assertThat(count("CR_CAPTURED_CART")).isZero();
        assertThat(count("CR_CAPTURED_CART_ITEM")).as("the item snapshots go with their carts").isZero();
    }

    @Test
    void purgesEndedBrowseSessionsAfterTheCartsPeriodButNeverOneStillBrowsingOrWithAMessageToSend() {
        browseSession(1, "EXCLUDED", OLD);
        browseSession(2, "BROWSING", OLD);
        browseSession(3, "PLANNED", OLD);
        browseSession(4, "PLANNED", RECENT);
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, BROWSE_SESSION_ID, TRIGGER_TYPE, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, "
                + "STATUS, DUE_AT, ATTEMPTS, CREATED_AT, UPDATED_AT) VALUES (NULL, 3, 'BROWSE', -1, -3, 1, 'b@example.com', "
                + "'PLANNED', ?, 0, ?, ?)", OLD, OLD, OLD);
        jdbc.update("INSERT INTO CR_POST_PURCHASE (ORDER_ID, OUTCOME, DECIDED_AT) VALUES (1, 'PLANNED', ?), (2, 'EXCLUDED', ?)",
                OLD, RECENT);

        purge(100, 10).run();

        assertThat(jdbc.queryForList("SELECT ID FROM CR_BROWSE_SESSION ORDER BY ID", Long.class)).containsExactly(2L, 3L, 4L);
        assertThat(jdbc.queryForList("SELECT SESSION_ID FROM CR_BROWSE_PRODUCT ORDER BY SESSION_ID", Long.class))
                .containsExactly(2L, 3L, 4L);
        assertThat(jdbc.queryForList("SELECT ORDER_ID FROM CR_POST_PURCHASE", Long.class)).containsExactly(2L);
    }

    @Test
    void aPurgedCartTakesItsPhoneAndSmsConsentAlongLikeItsEmail() {
        cart(1, "PURCHASED", OLD);
        cart(2, "ACTIVE", RECENT);
        jdbc.update("UPDATE CR_CAPTURED_CART SET PHONE = '+447400123456', SMS_CONSENT = 'GRANTED', SMS_CONSENT_AT = ?", OLD);

        purge(100, 10).run();

        assertThat(jdbc.queryForList("SELECT ORDER_ID FROM CR_CAPTURED_CART WHERE PHONE = '+447400123456'", Long.class))
                .containsExactly(2L);
    }

    @Test
    void aPurgedCartTakesItsExperimentAssignmentAlong() {
        cart(1, "PURCHASED", OLD);
        cart(2, "HELD_OUT", RECENT);
        jdbc.update("INSERT INTO CR_EXPERIMENT (CAMPAIGN_ID, NAME, STATUS, SALT, CREATED_AT, UPDATED_AT) "
                + "VALUES (-1, 'Retention', 'RUNNING', 'salt', ?, ?)", OLD, OLD);
        long experiment = jdbc.queryForObject("SELECT ID FROM CR_EXPERIMENT WHERE NAME = 'Retention'", Long.class);
        jdbc.update("INSERT INTO CR_EXPERIMENT_ARM (EXPERIMENT_ID, ARM_KEY, NAME, KIND, WEIGHT, POSITION) "
                + "VALUES (?, 'holdout', 'Holdout', 'HOLDOUT', 0, 0)", experiment);
        long arm = jdbc.queryForObject("SELECT ID FROM CR_EXPERIMENT_ARM WHERE EXPERIMENT_ID = ?", Long.class, experiment);
        for (long order = 1; order <= 2; order++) {
            jdbc.update("INSERT INTO CR_EXPERIMENT_ASSIGNMENT (EXPERIMENT_ID, ORDER_ID, ARM_ID, SHOPPER_HASH, ASSIGNED_AT) "
                    + "VALUES (?, ?, ?, 'hash', ?)", experiment, order, arm, OLD);
        }

        purge(100, 10).run();

        assertThat(jdbc.queryForList("SELECT ORDER_ID FROM CR_EXPERIMENT_ASSIGNMENT", Long.class)).containsExactly(2L);
    }

    @Test
    void keepsRecentCartsCartsInRecoveryAndCartsWithUnsentMessages() {
        cart(1, "ACTIVE", RECENT);
        cart(2, "IN_RECOVERY", OLD);
        cart(3, "ABANDONED", OLD);
        message(30, 3, "PLANNED", OLD);
        cart(4, "PURCHASED", OLD);
        message(40, 4, "SENT", OLD);
        event(40, "SENT", OLD, 0); // not rolled up yet: the rollup still reads this cart's currency

        purge(100, 10).run();

        assertThat(jdbc.queryForList("SELECT ORDER_ID FROM CR_CAPTURED_CART ORDER BY ORDER_ID", Long.class)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(jdbc.queryForList("SELECT ID FROM CR_PLANNED_MESSAGE ORDER BY ID", Long.class)).containsExactly(30L, 40L);
    }

    @Test
    void purgesOldFinishedMessagesWithTheirRolledUpEventsAndKeepsTheRest() {
        cart(1, "PURCHASED", RECENT);
        message(10, 1, "SENT", OLD);
        event(10, "SENT", OLD, 1);
        event(10, "OPENED", OLD, 1);
        message(11, 1, "SENT", OLD);
        event(11, "SENT", OLD, 1);
        event(11, "OPENED", RECENT, 1); // opened lately: its events (and so the message) stay
        message(12, 1, "SENDING", OLD); // on the wire: never touched
        message(13, 1, "FAILED", OLD);
        event(13, "FAILED", OLD, 0); // not rolled up yet

        purge(100, 10).run();

        assertThat(jdbc.queryForList("SELECT ID FROM CR_PLANNED_MESSAGE ORDER BY ID", Long.class)).containsExactly(11L, 12L, 13L);
        assertThat(jdbc.queryForList("SELECT PLANNED_MESSAGE_ID FROM CR_MESSAGE_EVENT ORDER BY ID", Long.class)).containsExactly(11L, 11L, 13L);
    }

    @Test
    void purgesClosedCouponsLongAfterExpiryButNeverOpenOnes() {
        coupon(1, "EXPIRED", OLD);
        coupon(2, "ISSUED", OLD); // the coupon cleanup still has to close its Broadleaf offer code
        coupon(3, "REDEEMED", RECENT);

        purge(100, 10).run();

        assertThat(jdbc.queryForList("SELECT ID FROM CR_COUPON ORDER BY ID", Long.class)).containsExactly(2L, 3L);
    }

    @Test
    void neverTouchesTheReportRollupsOrAttributions() {
        cart(1, "RECOVERED", OLD);
        message(10, 1, "SENT", OLD);
        event(10, "SENT", OLD, 1);
        jdbc.update("INSERT INTO CR_REPORT_DAILY (REPORT_DAY, CAMPAIGN_ID, STEP_NO, CURRENCY_CODE, SENT, RECOVERED, RECOVERED_REVENUE) "
                + "VALUES (?, -1, 1, 'USD', 1, 1, 42.50)", new java.sql.Date(OLD.getTime()));
        jdbc.update("INSERT INTO CR_REPORT_CART (ORDER_ID, REPORT_DAY, WITH_EMAIL) VALUES (1, ?, 1)", new java.sql.Date(OLD.getTime()));
        jdbc.update("INSERT INTO CR_ORDER_ATTRIBUTION (ORDER_ID, OUTCOME, PLANNED_MESSAGE_ID, CAMPAIGN_ID, STEP_NO, CURRENCY_CODE, AMOUNT, "
                + "PURCHASED_AT, ATTRIBUTED_AT, REPORTED) VALUES (1, 'RECOVERED', 10, -1, 1, 'USD', 42.50, ?, ?, 1)", OLD, OLD);
        List<Map<String, Object>> report = jdbc.queryForList("SELECT * FROM CR_REPORT_DAILY");

        purge(100, 10).run();

        assertThat(count("CR_CAPTURED_CART")).as("the old cart itself goes").isZero();
        assertThat(jdbc.queryForList("SELECT * FROM CR_REPORT_DAILY")).isEqualTo(report);
        assertThat(count("CR_REPORT_CART")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT AMOUNT FROM CR_ORDER_ATTRIBUTION WHERE ORDER_ID = 1", java.math.BigDecimal.class))
                .isEqualByComparingTo("42.50");
    }

    @Test
    void zeroKeepsForever() {
        cart(1, "PURCHASED", OLD);
        coupon(1, "EXPIRED", OLD);

        new RetentionPurge(database.dataSource(), new DataSourceTransactionManager(database.dataSource()), clock(),
                0, 0, 0, 0, 100, 10, 30, 400, 7).run();

        assertThat(count("CR_CAPTURED_CART")).isEqualTo(1);
        assertThat(count("CR_COUPON")).isEqualTo(1);
    }

    @Test
    void refusesAMessagePeriodShorterThanTheLinksInSentEmails() {
        assertThatThrownBy(() -> new RetentionPurge(database.dataSource(), new DataSourceTransactionManager(database.dataSource()),
                clock(), 180, 90, 400, 90, 100, 10, 30, 400, 7))
                .hasMessageStartingWith("cartrecovery.retention.messages-days: must be 0 (keep) or at least 400 days");
    }

    private RetentionPurge purge(int batchSize, int maxBatches) {
        return new RetentionPurge(database.dataSource(), new DataSourceTransactionManager(database.dataSource()), clock(),
                180, 400, 400, 90, batchSize, maxBatches, 30, 400, 7);
    }

    private static Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    private int count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
    }

    private void cart(long orderId, String status, Timestamp at) {
        jdbc.update("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, STATUS, FIRST_SEEN, LAST_ACTIVITY, STATUS_CHANGED_AT, CURRENCY_CODE) "
                + "VALUES (?, ?, ?, ?, ?, ?, 'USD')", orderId, "shopper-" + orderId + "@example.com", status, at, at, at);
        jdbc.update("INSERT INTO CR_CAPTURED_CART_ITEM (ORDER_ID, LINE_NO, NAME, QUANTITY) VALUES (?, 1, 'Mug', 1)", orderId);
    }

    private void browseSession(long id, String status, Timestamp at) {
        jdbc.update("INSERT INTO CR_BROWSE_SESSION (ID, EMAIL, OPEN_EMAIL, STATUS, FIRST_VIEW_AT, LAST_VIEW_AT, STATUS_CHANGED_AT) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", id, "browser-" + id + "@example.com",
                "BROWSING".equals(status) ? "browser-" + id + "@example.com" : null, status, at, at, at);
        jdbc.update("INSERT INTO CR_BROWSE_PRODUCT (SESSION_ID, PRODUCT_ID, VIEWS, LAST_VIEWED_AT) VALUES (?, 7, 1, ?)", id, at);
    }

    private void message(long id, long orderId, String status, Timestamp at) {
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ID, ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, STATUS, DUE_AT, ATTEMPTS, "
                + "CREATED_AT, UPDATED_AT) VALUES (?, ?, -1, ?, 1, 'shopper@example.com', ?, ?, 0, ?, ?)", id, orderId, -id, status, at, at, at);
    }

    private void event(long messageId, String type, Timestamp at, int reported) {
        jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, REPORTED) VALUES (?, ?, ?, ?)",
                messageId, type, at, reported);
    }

    private void coupon(long id, String status, Timestamp expiresAt) {
        jdbc.update("INSERT INTO CR_COUPON (ID, PLANNED_MESSAGE_ID, ORDER_ID, EMAIL, OFFER_ID, OFFER_CODE_ID, CODE, STATUS, ISSUED_AT, "
                + "EXPIRES_AT) VALUES (?, ?, 1, 'shopper@example.com', -1, -1, ?, ?, ?, ?)", id, 900 + id, "CODE-" + id, status, expiresAt, expiresAt);
    }
}
