package io.github.cartrecovery.demo.reliability;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongFunction;

/**
 * The shared database of the nodes: created and dropped by the suite on the selected server (PostgreSQL or
 * MariaDB, the same servers and system properties as the plugin's {@code -Pdb-*} test profiles). It also writes
 * the suite's carts straight into Broadleaf's and the plugin's tables (what the storefront and detection would
 * have written), buys them, and restarts the server for scenario 4.
 */
final class ShopDatabase implements AutoCloseable {

    final String kind;
    final String name;
    final String serverUrl;
    final String url;
    final String user;
    final String password;

    ShopDatabase(String kind) {
        this.kind = kind.toLowerCase(Locale.ROOT);
        this.name = "crrel_" + UUID.randomUUID().toString().substring(0, 8);
        switch (this.kind) {
            case "postgresql":
                serverUrl = System.getProperty("cartrecovery.test.postgresql.url", "jdbc:postgresql://127.0.0.1:5432/");
                user = System.getProperty("cartrecovery.test.postgresql.user", "postgres");
                password = System.getProperty("cartrecovery.test.postgresql.password", "");
                execute(serverUrl + "postgres", "CREATE DATABASE " + name);
                url = serverUrl + name;
                break;
            case "mariadb":
                serverUrl = System.getProperty("cartrecovery.test.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/");
                user = System.getProperty("cartrecovery.test.mariadb.user", "root");
                password = System.getProperty("cartrecovery.test.mariadb.password", "");
                execute(serverUrl, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
                url = serverUrl + name + "?nullDatabaseMeansCurrent=true";
                break;
            default:
                throw new IllegalArgumentException("reliability.db must be postgresql or mariadb, not '" + kind + "'");
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** A campaign of three steps, no audience conditions. */
    long seedCampaign(int[] delayMinutes) throws SQLException {
        return seedCampaign("Reliability", 100, null, delayMinutes, new String[] {"EMAIL", "EMAIL", "EMAIL"},
                new String[] {"gentle-reminder", "value-reminder", "last-call"});
    }

    /**
     * A campaign with these steps (delay, channel, template each); with {@code locale}, only for carts of that locale
     * (an audience condition), so other scenarios' carts keep the plain campaign.
     */
    long seedCampaign(String name, int priority, String locale, int[] delayMinutes, String[] channels, String[] templates)
            throws SQLException {
        return seedCampaign(name, "ABANDONED_CART", priority, locale, delayMinutes, channels, templates);
    }

    /** The same, answering another trigger (CR_CAMPAIGN.TRIGGER_TYPE: PRICE_DROP, BACK_IN_STOCK, BROWSE, POST_PURCHASE). */
    long seedCampaign(String name, String triggerType, int priority, String locale, int[] delayMinutes, String[] channels,
                      String[] templates) throws SQLException {
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement campaign = db.prepareStatement("INSERT INTO CR_CAMPAIGN (NAME, STATUS, PRIORITY, CREATED_AT, "
                    + "UPDATED_AT, TRIGGER_TYPE) VALUES (?, 'ENABLED', ?, ?, ?, ?)")) {
                campaign.setString(1, name);
                campaign.setInt(2, priority);
                campaign.setTimestamp(3, now);
                campaign.setTimestamp(4, now);
                campaign.setString(5, triggerType);
                campaign.executeUpdate();
            }
            long campaignId = single(db, "SELECT ID FROM CR_CAMPAIGN WHERE NAME = '" + name + "'");
            if (locale != null) {
                sql.executeUpdate("INSERT INTO CR_CAMPAIGN_CONDITION (CAMPAIGN_ID, CONDITION_TYPE, TEXT_VALUE) VALUES ("
                        + campaignId + ", 'LOCALE', '" + locale + "')");
            }
            for (int step = 0; step < delayMinutes.length; step++) {
                sql.executeUpdate("INSERT INTO CR_CAMPAIGN_STEP (CAMPAIGN_ID, STEP_NO, DELAY_MINUTES, CHANNEL, TEMPLATE, COUPON_POLICY) "
                        + "VALUES (" + campaignId + ", " + (step + 1) + ", " + delayMinutes[step] + ", '" + channels[step]
                        + "', '" + templates[step] + "', 'NONE')");
            }
            sql.executeUpdate("INSERT INTO CR_CAMPAIGN_STEP_SUBJECT (STEP_ID, LOCALE_CODE, SUBJECT) SELECT ID, '*', "
                    + "'Your cart is waiting' FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = " + campaignId);
            return campaignId;
        }
    }

    /**
     * Carts {@code first .. first+count-1}: a shopper, an open Broadleaf order with one item and an address, and the plugin's
     * captured cart, ABANDONED at the given instant (what detection writes), ready for the planner on any node.
     */
    void insertAbandonedCarts(long first, int count, LongFunction<Instant> abandonedAt) throws SQLException {
        insertAbandonedCarts(first, count, abandonedAt, id -> Contact.EMAIL_ONLY);
    }

    /** How a cart can be reached besides its email: its locale, phone (E.164 or null) and SMS consent. */
    record Contact(String localeCode, String phone, String smsConsent) {
        static final Contact EMAIL_ONLY = new Contact("en_US", null, "UNKNOWN");
    }

    /** The same, each cart with its locale, phone and SMS consent (what capture stores). */
    void insertAbandonedCarts(long first, int count, LongFunction<Instant> abandonedAt, LongFunction<Contact> contactOf)
            throws SQLException {
        insertAbandonedCarts(first, count, abandonedAt, contactOf, id -> null);
    }

    /**
     * The same, each cart holding the catalog item {@code itemOf} gives (null: the suite's plain mug, no SKU), as
     * capture stores it: SKU, product, name and the unit price of the moment.
     */
    void insertAbandonedCarts(long first, int count, LongFunction<Instant> abandonedAt, LongFunction<Contact> contactOf,
                              LongFunction<Item> itemOf) throws SQLException {
        try (Connection db = connect()) {
            db.setAutoCommit(false);
            try (PreparedStatement customer = db.prepareStatement("INSERT INTO BLC_CUSTOMER (CUSTOMER_ID, USER_NAME, EMAIL_ADDRESS) "
                    + "VALUES (?, ?, ?)");
                 PreparedStatement order = db.prepareStatement("INSERT INTO BLC_ORDER (ORDER_ID, CUSTOMER_ID, ORDER_STATUS, "
                    + "EMAIL_ADDRESS, NAME) VALUES (?, ?, 'IN_PROCESS', ?, NULL)");
                 PreparedStatement item = db.prepareStatement("INSERT INTO BLC_ORDER_ITEM (ORDER_ITEM_ID, ORDER_ID, QUANTITY, NAME, "
                         + "PRICE, RETAIL_PRICE, SALE_PRICE) VALUES (?, ?, 1, ?, ?, ?, ?)");
                 PreparedStatement discrete = db.prepareStatement("INSERT INTO BLC_DISCRETE_ORDER_ITEM (ORDER_ITEM_ID, SKU_ID, "
                         + "PRODUCT_ID, BASE_RETAIL_PRICE, BASE_SALE_PRICE) VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement cart = db.prepareStatement("INSERT INTO CR_CAPTURED_CART (ORDER_ID, CUSTOMER_ID, EMAIL, "
                         + "MARKETING_CONSENT, LOCALE_CODE, CURRENCY_CODE, ITEM_COUNT, SUBTOTAL, TOTAL, STATUS, FIRST_SEEN, "
                         + "LAST_ACTIVITY, ABANDONED_AT, STATUS_CHANGED_AT, ORIGIN, PHONE, SMS_CONSENT, SMS_CONSENT_AT) "
                         + "VALUES (?, ?, ?, 'UNKNOWN', ?, 'USD', 1, ?, ?, 'ABANDONED', ?, ?, ?, ?, 'STOREFRONT', ?, ?, ?)");
                 PreparedStatement line = db.prepareStatement("INSERT INTO CR_CAPTURED_CART_ITEM (ORDER_ID, LINE_NO, NAME, QUANTITY, "
                         + "UNIT_PRICE, SKU_ID, PRODUCT_ID) VALUES (?, 1, ?, 1, ?, ?, ?)")) {
                for (int i = 0; i < count; i++) {
                    long id = first + i;
                    Item held = itemOf.apply(id);
                    String name = held == null ? "Reliability mug" : held.name();
                    BigDecimal price = held == null ? new BigDecimal("35.10") : held.price();
                    Instant abandoned = abandonedAt.apply(id);
                    Timestamp seen = Timestamp.from(abandoned.minusSeconds(3600));
                    Timestamp at = Timestamp.from(abandoned);
                    customer.setLong(1, id); // one anonymous shopper per cart, as on a storefront
                    customer.setString(2, "shopper" + id);
                    customer.setString(3, email(id));
                    customer.addBatch();
                    order.setLong(1, id);
                    order.setLong(2, id);
                    order.setString(3, email(id));
                    order.addBatch();
                    item.setLong(1, id);
                    item.setLong(2, id);
                    item.setString(3, name);
                    item.setBigDecimal(4, price); // priced, as Broadleaf's pricing leaves it (capture multiplies them)
                    item.setBigDecimal(5, price);
                    item.setBigDecimal(6, price);
                    item.addBatch();
                    if (held != null) { // a catalog item: Broadleaf's discrete order item with its SKU and product
                        discrete.setLong(1, id);
                        discrete.setLong(2, held.skuId());
                        discrete.setLong(3, held.productId());
                        discrete.setBigDecimal(4, price);
                        discrete.setBigDecimal(5, price);
                        discrete.addBatch();
                    }
                    Contact contact = contactOf.apply(id);
                    cart.setLong(1, id);
                    cart.setLong(2, id);
                    cart.setString(3, email(id));
                    cart.setString(4, contact.localeCode());
                    cart.setBigDecimal(5, price);
                    cart.setBigDecimal(6, price);
                    cart.setTimestamp(7, seen);
                    cart.setTimestamp(8, seen);
                    cart.setTimestamp(9, at);
                    cart.setTimestamp(10, at);
                    cart.setString(11, contact.phone());
                    cart.setString(12, contact.smsConsent());
                    cart.setTimestamp(13, "UNKNOWN".equals(contact.smsConsent()) ? null : seen);
                    cart.addBatch();
                    line.setLong(1, id);
                    line.setString(2, name);
                    line.setBigDecimal(3, price);
                    if (held == null) {
                        line.setNull(4, java.sql.Types.BIGINT);
                        line.setNull(5, java.sql.Types.BIGINT);
                    } else {
                        line.setLong(4, held.skuId());
                        line.setLong(5, held.productId());
                    }
                    line.addBatch();
                    if (i % 500 == 499 || i == count - 1) {
                        customer.executeBatch();
                        order.executeBatch();
                        item.executeBatch();
                        discrete.executeBatch();
                        cart.executeBatch();
                        line.executeBatch();
                        db.commit();
                    }
                }
            }
        }
    }

    /** A cart as only Broadleaf holds it: no CR_ row yet, so only the nodes' capture reconciliation can capture it. */
    record BroadleafCart(long orderId, String email, String itemName) {
    }

    /**
     * Writes these carts into Broadleaf's tables only (a shopper, an open order created now, one priced item), each in
     * its own transaction, in order. Returns, per cart the database refused to store, its reason (SQLState and
     * message): such a value never reaches the plugin.
     */
    Map<Long, String> insertBroadleafOnlyCarts(List<BroadleafCart> carts) throws SQLException {
        Map<Long, String> refused = new LinkedHashMap<>();
        BigDecimal price = new BigDecimal("35.10");
        try (Connection db = connect();
             PreparedStatement customer = db.prepareStatement("INSERT INTO BLC_CUSTOMER (CUSTOMER_ID, USER_NAME) VALUES (?, ?)");
             PreparedStatement order = db.prepareStatement("INSERT INTO BLC_ORDER (ORDER_ID, CUSTOMER_ID, ORDER_STATUS, "
                     + "EMAIL_ADDRESS, NAME, DATE_CREATED, ORDER_SUBTOTAL, ORDER_TOTAL) VALUES (?, ?, 'IN_PROCESS', ?, NULL, ?, ?, ?)");
             PreparedStatement item = db.prepareStatement("INSERT INTO BLC_ORDER_ITEM (ORDER_ITEM_ID, ORDER_ID, QUANTITY, NAME, "
                     + "PRICE, RETAIL_PRICE, SALE_PRICE) VALUES (?, ?, 1, ?, ?, ?, ?)")) {
            db.setAutoCommit(false);
            for (BroadleafCart cart : carts) {
                long id = cart.orderId();
                try {
                    customer.setLong(1, id);
                    customer.setString(2, "shopper" + id);
                    customer.executeUpdate();
                    order.setLong(1, id);
                    order.setLong(2, id);
                    order.setString(3, cart.email());
                    order.setTimestamp(4, Timestamp.from(Instant.now()));
                    order.setBigDecimal(5, price);
                    order.setBigDecimal(6, price);
                    order.executeUpdate();
                    item.setLong(1, id);
                    item.setLong(2, id);
                    item.setString(3, cart.itemName());
                    item.setBigDecimal(4, price);
                    item.setBigDecimal(5, price);
                    item.setBigDecimal(6, price);
                    item.executeUpdate();
                    db.commit();
                } catch (SQLException e) {
                    db.rollback();
                    refused.put(id, "SQLSTATE " + e.getSQLState() + ": " + e.getMessage().split("\n")[0]);
                }
            }
        }
        return refused;
    }

    /** What the plugin captured of carts first .. last: email, item names, and CR_CAPTURE_REJECTION rows (field: reason). */
    record Capture(Map<Long, String> emails, Map<Long, List<String>> itemNames,
                   Map<Long, List<String>> rejections) {
    }

    Capture captured(long first, long last) throws SQLException {
        Map<Long, String> emails = new HashMap<>();
        Map<Long, List<String>> items = new HashMap<>();
        Map<Long, List<String>> rejections = new HashMap<>();
        try (Connection db = connect()) {
            try (PreparedStatement query = db.prepareStatement("SELECT ORDER_ID, EMAIL FROM CR_CAPTURED_CART WHERE ORDER_ID BETWEEN ? AND ?")) {
                query.setLong(1, first);
                query.setLong(2, last);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        emails.put(rs.getLong(1), rs.getString(2));
                    }
                }
            }
            try (PreparedStatement query = db.prepareStatement("SELECT ORDER_ID, NAME FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID BETWEEN ? AND ? "
                    + "ORDER BY ORDER_ID, LINE_NO")) {
                query.setLong(1, first);
                query.setLong(2, last);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        items.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(rs.getString(2));
                    }
                }
            }
            try (PreparedStatement query = db.prepareStatement("SELECT ORDER_ID, FIELD, REASON FROM CR_CAPTURE_REJECTION "
                    + "WHERE ORDER_ID BETWEEN ? AND ?")) {
                query.setLong(1, first);
                query.setLong(2, last);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        rejections.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(rs.getString(2) + ": " + rs.getString(3));
                    }
                }
            }
        }
        return new Capture(emails, items, rejections);
    }

    /** A job's runs started at or after {@code since} (by the nodes' clocks): per node and outcome, how many. */
    Map<String, Long> jobRuns(String jobName, Instant since) throws SQLException {
        Map<String, Long> runs = new TreeMap<>();
        try (Connection db = connect();
             PreparedStatement query = db.prepareStatement("SELECT NODE_ID, OUTCOME, COUNT(*) FROM CR_JOB_RUN WHERE JOB_NAME = ? "
                     + "AND STARTED_AT >= ? GROUP BY NODE_ID, OUTCOME")) {
            query.setString(1, jobName);
            query.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    runs.put(rs.getString(1) + " " + rs.getString(2), rs.getLong(3));
                }
            }
        }
        return runs;
    }

    static String email(long orderId) {
        return "shopper" + orderId + "@reliability.test";
    }

    /** The shopper of this cart unsubscribed (or bounced): the plugin's suppression list. */
    void suppress(long orderId, String reason) throws SQLException {
        try (Connection db = connect();
             PreparedStatement insert = db.prepareStatement("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) "
                     + "VALUES (?, ?, 'reliability suite', ?)")) {
            insert.setString(1, email(orderId));
            insert.setString(2, reason);
            insert.setTimestamp(3, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
    }

    /** The number texted STOP before the run: on the SMS opt-out list (what the inbound STOP handler writes). */
    void smsOptOut(String phone) throws SQLException {
        try (Connection db = connect();
             PreparedStatement insert = db.prepareStatement("INSERT INTO CR_SMS_OPT_OUT (PHONE, REASON, SOURCE, CREATED_AT) "
                     + "VALUES (?, 'STOP', 'reliability suite', ?)")) {
            insert.setString(1, phone);
            insert.setTimestamp(2, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
    }

    /** Checkout completes (what Broadleaf's CompleteOrderActivity commits); returns when the commit returned. */
    Instant purchase(Connection db, long orderId) throws SQLException {
        try (PreparedStatement update = db.prepareStatement("UPDATE BLC_ORDER SET ORDER_STATUS = 'SUBMITTED', SUBMIT_DATE = ? "
                + "WHERE ORDER_ID = ?")) {
            update.setTimestamp(1, Timestamp.from(Instant.now()));
            update.setLong(2, orderId);
            update.executeUpdate();
        }
        return Instant.now();
    }

    /**
     * Every planned cart-recovery message of the carts first .. last (TRIGGER_TYPE ABANDONED_CART): what the scenarios
     * judge. The same carts' trigger messages (price drop, back in stock, the follow-up after a purchase) are
     * {@link #triggered}'s.
     */
    List<Planned> planned(long first, long last) throws SQLException {
        return plannedWhere("ORDER_ID BETWEEN ? AND ? AND (TRIGGER_TYPE IS NULL OR TRIGGER_TYPE = 'ABANDONED_CART')", first, last);
    }

    /** The trigger messages (every TRIGGER_TYPE but ABANDONED_CART) planned for carts first .. last. */
    List<Planned> triggered(long first, long last) throws SQLException {
        return plannedWhere("ORDER_ID BETWEEN ? AND ? AND TRIGGER_TYPE <> 'ABANDONED_CART'", first, last);
    }

    /** Browse messages (no order) of these addresses' browse sessions; {@link Planned#orderId()} is the session id. */
    Map<Long, String> browseMessages(java.util.Collection<String> emails, List<Planned> into) throws SQLException {
        Map<Long, String> emailOfSession = new HashMap<>();
        try (Connection db = connect();
             PreparedStatement query = db.prepareStatement("SELECT m.ID, m.BROWSE_SESSION_ID, m.STEP_NO, m.STATUS, m.OUTCOME, "
                     + "m.DUE_AT, m.CLAIMED_BY, m.ATTEMPTS, m.CHANNEL, m.TRIGGER_TYPE, s.EMAIL FROM CR_PLANNED_MESSAGE m "
                     + "JOIN CR_BROWSE_SESSION s ON s.ID = m.BROWSE_SESSION_ID")) {
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    String email = rs.getString(11);
                    if (email != null && emails.contains(email.toLowerCase(Locale.ROOT))) {
                        into.add(new Planned(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                                rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getString(10)));
                        emailOfSession.put(rs.getLong(2), email.toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return emailOfSession;
    }

    /** Browse sessions of these addresses by status and reason (e.g. {@code EXCLUDED/ADDED_TO_CART}). */
    Map<String, Long> browseSessions(java.util.Collection<String> emails) throws SQLException {
        Map<String, Long> statuses = new TreeMap<>();
        try (Connection db = connect(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT EMAIL, STATUS, EXCLUSION_REASON FROM CR_BROWSE_SESSION")) {
            while (rs.next()) {
                if (rs.getString(1) != null && emails.contains(rs.getString(1).toLowerCase(Locale.ROOT))) {
                    statuses.merge(rs.getString(2) + (rs.getString(3) == null ? "" : "/" + rs.getString(3)), 1L, Long::sum);
                }
            }
        }
        return statuses;
    }

    /** Each of these addresses' browse sessions, by address (lower case): status and reason, oldest session first. */
    Map<String, List<String>> browseSessionsByEmail(java.util.Collection<String> emails) throws SQLException {
        Map<String, List<String>> sessions = new HashMap<>();
        try (Connection db = connect(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT EMAIL, STATUS, EXCLUSION_REASON FROM CR_BROWSE_SESSION ORDER BY ID")) {
            while (rs.next()) {
                String email = rs.getString(1) == null ? null : rs.getString(1).toLowerCase(Locale.ROOT);
                if (email != null && emails.contains(email)) {
                    sessions.computeIfAbsent(email, e -> new ArrayList<>())
                            .add(rs.getString(2) + (rs.getString(3) == null ? "" : "/" + rs.getString(3)));
                }
            }
        }
        return sessions;
    }

    private List<Planned> plannedWhere(String where, long first, long last) throws SQLException {
        List<Planned> rows = new ArrayList<>();
        try (Connection db = connect();
             PreparedStatement query = db.prepareStatement("SELECT ID, ORDER_ID, STEP_NO, STATUS, OUTCOME, DUE_AT, CLAIMED_BY, ATTEMPTS, "
                     + "CHANNEL, TRIGGER_TYPE FROM CR_PLANNED_MESSAGE WHERE " + where)) {
            query.setLong(1, first);
            query.setLong(2, last);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Planned(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                            rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getString(10)));
                }
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------ the suite's catalog (issue 19's triggers)

    /** A catalog item a cart holds: what capture stores of it. */
    record Item(long skuId, long productId, String name, BigDecimal price) {
    }

    /**
     * A product with its default SKU written straight into Broadleaf's catalog tables (as an import would): active since
     * yesterday, available, at this retail price, under {@code /products/<slug>}, with a primary image (the demo's mug
     * picture). The SKU, product and media ids are {@code id}.
     */
    Item insertProduct(long id, String name, String slug, String retailPrice) throws SQLException {
        BigDecimal price = new BigDecimal(retailPrice);
        try (Connection db = connect();
             PreparedStatement sku = db.prepareStatement("INSERT INTO BLC_SKU (SKU_ID, NAME, DESCRIPTION, RETAIL_PRICE, "
                     + "ACTIVE_START_DATE, AVAILABLE_FLAG, DISCOUNTABLE_FLAG, TAXABLE_FLAG) VALUES (?, ?, ?, ?, ?, 'Y', 'Y', 'N')");
             PreparedStatement product = db.prepareStatement("INSERT INTO BLC_PRODUCT (PRODUCT_ID, DEFAULT_SKU_ID, URL, ARCHIVED, "
                     + "IS_FEATURED_PRODUCT, CAN_SELL_WITHOUT_OPTIONS) VALUES (?, ?, ?, 'N', ?, ?)");
             PreparedStatement link = db.prepareStatement("UPDATE BLC_SKU SET DEFAULT_PRODUCT_ID = ? WHERE SKU_ID = ?");
             PreparedStatement media = db.prepareStatement("INSERT INTO BLC_MEDIA (MEDIA_ID, URL, ALT_TEXT, TITLE) VALUES (?, ?, ?, ?)");
             PreparedStatement primary = db.prepareStatement("INSERT INTO BLC_SKU_MEDIA_MAP (BLC_SKU_SKU_ID, MEDIA_ID, MAP_KEY) "
                     + "VALUES (?, ?, 'primary')")) {
            sku.setLong(1, id);
            sku.setString(2, name);
            sku.setString(3, name + ", from the reliability suite's catalog");
            sku.setBigDecimal(4, price);
            sku.setTimestamp(5, Timestamp.from(Instant.now().minusSeconds(86_400)));
            sku.executeUpdate();
            product.setLong(1, id);
            product.setLong(2, id);
            product.setString(3, "/products/" + slug);
            product.setBoolean(4, false);
            product.setBoolean(5, false);
            product.executeUpdate();
            link.setLong(1, id);
            link.setLong(2, id);
            link.executeUpdate();
            media.setLong(1, id); // the product page shows the primary image
            media.setString(2, "/img/products/stoneware-mug.svg");
            media.setString(3, name);
            media.setString(4, name);
            media.executeUpdate();
            primary.setLong(1, id);
            primary.setLong(2, id);
            primary.executeUpdate();
        }
        return new Item(id, id, name, price);
    }

    /** A Broadleaf cross-sale: {@code related} goes with {@code product} (what the follow-up after a purchase offers). */
    void insertCrossSale(long id, long product, long related) throws SQLException {
        try (Connection db = connect();
             PreparedStatement insert = db.prepareStatement("INSERT INTO BLC_PRODUCT_CROSS_SALE (CROSS_SALE_PRODUCT_ID, "
                     + "PRODUCT_ID, RELATED_SALE_PRODUCT_ID, SEQUENCE) VALUES (?, ?, ?, 1)")) {
            insert.setLong(1, id);
            insert.setLong(2, product);
            insert.setLong(3, related);
            insert.executeUpdate();
        }
    }

    /**
     * What the demo seeds on a store of its own and a cluster node does not: the store's locale and currency, and the
     * role Broadleaf gives a registered customer (the browse shoppers register through the storefront).
     */
    void insertStoreBasics() throws SQLException {
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            if (single(db, "SELECT COUNT(*) FROM BLC_CURRENCY WHERE CURRENCY_CODE = 'USD'") == 0) {
                try (PreparedStatement insert = db.prepareStatement("INSERT INTO BLC_CURRENCY (CURRENCY_CODE, DEFAULT_FLAG, "
                        + "FRIENDLY_NAME) VALUES ('USD', ?, 'US Dollar')")) {
                    insert.setBoolean(1, true);
                    insert.executeUpdate();
                }
            }
            if (single(db, "SELECT COUNT(*) FROM BLC_LOCALE WHERE LOCALE_CODE = 'en_US'") == 0) {
                try (PreparedStatement insert = db.prepareStatement("INSERT INTO BLC_LOCALE (LOCALE_CODE, DEFAULT_FLAG, "
                        + "FRIENDLY_NAME, CURRENCY_CODE) VALUES ('en_US', ?, 'English (US)', 'USD')")) {
                    insert.setBoolean(1, true);
                    insert.executeUpdate();
                }
            }
            if (single(db, "SELECT COUNT(*) FROM BLC_ROLE WHERE ROLE_NAME = 'ROLE_USER'") == 0) {
                sql.executeUpdate("INSERT INTO BLC_ROLE (ROLE_ID, ROLE_NAME) VALUES (1, 'ROLE_USER')");
            }
        }
    }

    /** A price import: the SKU's sale price, written straight into BLC_SKU. */
    void setSalePrice(long skuId, String price) throws SQLException {
        try (Connection db = connect();
             PreparedStatement update = db.prepareStatement("UPDATE BLC_SKU SET SALE_PRICE = ? WHERE SKU_ID = ?")) {
            update.setBigDecimal(1, new BigDecimal(price));
            update.setLong(2, skuId);
            update.executeUpdate();
        }
    }

    /** Broadleaf 3.1's inventory field on the SKU: AVAILABLE_FLAG 'N' (out of stock) or 'Y'. */
    void setAvailable(long skuId, boolean available) throws SQLException {
        try (Connection db = connect();
             PreparedStatement update = db.prepareStatement("UPDATE BLC_SKU SET AVAILABLE_FLAG = ? WHERE SKU_ID = ?")) {
            update.setString(1, available ? "Y" : "N");
            update.setLong(2, skuId);
            update.executeUpdate();
        }
    }

    /**
     * Per node, the delivery runs it logged and how far its clock is from the suite's: the newest STARTED_AT it wrote
     * (its plugin clock) minus now, for the nodes that ran in the last minute by their own clocks.
     */
    /** One run of the delivery job as CR_JOB_RUN has it: started by the node's own (possibly skewed) clock. */
    record DeliveryRun(String node, Instant startedAt, long durationMillis, int items) {
    }

    /** The delivery job's recorded runs, every node's. */
    List<DeliveryRun> deliveryRuns() throws SQLException {
        List<DeliveryRun> runs = new ArrayList<>();
        try (Connection db = connect(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT NODE_ID, STARTED_AT, DURATION_MS, ITEMS FROM CR_JOB_RUN "
                     + "WHERE JOB_NAME = 'deliver-recovery-messages'")) {
            while (rs.next()) {
                runs.add(new DeliveryRun(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getLong(3), rs.getInt(4)));
            }
        }
        return runs;
    }

    /** A node holding claimed, prepared or sending messages of these carts right now, or null. */
    String claimHolder(long first, long last) throws SQLException {
        return claimHolder(first, last, null);
    }

    /** The same, of messages on this channel only (null: any). */
    String claimHolder(long first, long last, String channel) throws SQLException {
        try (Connection db = connect();
             PreparedStatement query = db.prepareStatement("SELECT CLAIMED_BY FROM CR_PLANNED_MESSAGE WHERE ORDER_ID BETWEEN ? AND ? "
                     + "AND STATUS IN ('CLAIMED', 'PREPARED', 'SENDING') AND CLAIMED_BY IS NOT NULL"
                     + (channel == null ? "" : " AND CHANNEL = ?"))) {
            query.setLong(1, first);
            query.setLong(2, last);
            if (channel != null) {
                query.setString(3, channel);
            }
            query.setMaxRows(1);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    List<Long> longs(String sql) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (Connection db = connect(); Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
        }
        return values;
    }

    long count(String sql) throws SQLException {
        try (Connection db = connect()) {
            return single(db, sql);
        }
    }

    /**
     * Restarts the database server under the nodes (scenario 4): they lose every connection at once. PostgreSQL:
     * {@code pg_ctlcluster --skip-systemctl-redirect 15 main restart}. MariaDB: SQL {@code SHUTDOWN}, then
     * {@code reliability.mariadb.start} (default: mariadbd as user mysql, detached, as a plain Debian host without
     * systemd runs it; Debian's init script cannot stop it without /etc/mysql/debian.cnf). Returns once it answers.
     */
    void restartServer() throws Exception {
        if ("postgresql".equals(kind)) {
            run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", System.getProperty("reliability.pg.version", "15"),
                    System.getProperty("reliability.pg.cluster", "main"), "restart"));
        } else {
            try (Connection db = DriverManager.getConnection(serverUrl, user, password); Statement sql = db.createStatement()) {
                sql.execute("SHUTDOWN");
            }
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (ProcessHandle.allProcesses().anyMatch(p -> p.info().command().orElse("").endsWith("/mariadbd"))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("mariadbd did not stop within 60 s");
                }
                Cluster.sleep(100);
            }
            run(List.of("sh", "-c", System.getProperty("reliability.mariadb.start", "setsid /usr/sbin/mariadbd --user=mysql")
                    + " > /dev/null 2>&1 < /dev/null &"));
        }
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Connection db = connect()) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the " + kind + " server did not come back within 60 s", e);
                }
                Cluster.sleep(200);
            }
        }
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        for (int attempt = 1; attempt <= 10; attempt++) {
            try {
                if ("postgresql".equals(kind)) {
                    execute(serverUrl + "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                } else {
                    execute(serverUrl, "DROP DATABASE IF EXISTS " + name);
                }
                return;
            } catch (IllegalStateException e) {
                if (attempt == 10) {
                    throw e;
                }
                Cluster.sleep(1000); // the server may still be restarting
            }
        }
    }

    private static long single(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String serverDatabaseUrl, String sql) {
        try (Connection db = DriverManager.getConnection(serverDatabaseUrl, user, password);
             Statement statement = db.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("the " + kind + " server at " + serverDatabaseUrl + " refused '" + sql + "': "
                    + e.getMessage(), e);
        }
    }

    /** One CR_PLANNED_MESSAGE row. */
    record Planned(long id, long orderId, int stepNo, String status, String outcome, Instant dueAt, String claimedBy,
                   int attempts, String channel, String triggerType) {
        boolean open() {
            return "PLANNED".equals(status) || "CLAIMED".equals(status) || "PREPARED".equals(status) || "SENDING".equals(status);
        }

        /** Still to be sent although it was due: open and due, or waiting for a retry after a failed attempt. */
        boolean pending(Instant now) {
            return open() && (!dueAt.isAfter(now) || attempts > 0);
        }
    }
}
