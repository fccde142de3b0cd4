package io.github.cartrecovery.detection;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.github.cartrecovery.capture.CartOrigin;
import io.github.cartrecovery.capture.CartStatus;
import io.github.cartrecovery.capture.CartStatusTransitions;
import io.github.cartrecovery.capture.MarketingConsent;
import io.github.cartrecovery.database.Database;
import io.github.cartrecovery.database.SqlFailures;
import io.github.cartrecovery.state.PluginActivation;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * Decides which idle carts are abandoned. A cart is abandoned when it is ACTIVE, has items and a usable
 * email, is not submitted in Broadleaf, was last active between {@code max(activation, now - lookBack)}
 * and {@code now - idleTime}, and matches no {@link ExclusionRules exclusion rule}.
 *
 * <p>Cost: the candidate query is a range scan of index IX_CR_CART_STATUS_ACTIVITY (STATUS, LAST_ACTIVITY)
 * plus one primary-key lookup in BLC_ORDER per candidate (read without locks), so it grows with the number of due carts, not
 * with the size of the order table. Idle carts that cannot be recovered move to IDLE (and EXCLUDED,
 * PURCHASED, DELETED), so no cart is scanned twice.
 *
 * <p>Runs on every node: where the database can, candidates are claimed with FOR UPDATE SKIP LOCKED so
 * nodes work on different carts; each transition is a conditional UPDATE (... WHERE STATUS = 'ACTIVE' AND
 * LAST_ACTIVITY = the value read), so two nodes scanning the same carts change each exactly once, and a
 * cart touched by the shopper meanwhile is left alone. A node stopped mid-run leaves the rest ACTIVE
 * for the next run on any node.
 */
public class AbandonmentDetector {

    /** Due carts, oldest first; the row-lock suffix comes from {@link RowClaim} (e.g. FOR UPDATE SKIP LOCKED). */
    static final String CANDIDATES =
            "SELECT ORDER_ID, LAST_ACTIVITY, EMAIL, ITEM_COUNT, TOTAL, CURRENCY_CODE, MARKETING_CONSENT, CLIENT_IP, USER_AGENT, ORIGIN"
            + " FROM CR_CAPTURED_CART"
            + " WHERE STATUS = 'ACTIVE' AND LAST_ACTIVITY <= ? AND LAST_ACTIVITY >= ?"
            + " ORDER BY LAST_ACTIVITY, ORDER_ID LIMIT ?";

    /** Broadleaf's own view of the candidates, read without locks (never block a shopper's checkout). */
    static final String ORDER_STATES = "SELECT ORDER_ID, ORDER_STATUS FROM BLC_ORDER WHERE ORDER_ID IN ";

    private final DataSource dataSource;
    private final Clock clock;
    private final PluginActivation activation;
    private final ExclusionRules exclusions;
    private final Duration idleTime;
    private final Duration lookBack;
    private final int batchSize;
    private volatile RowClaim claim;
    private volatile PluginMetrics metrics = PluginMetrics.inMemory();

    public AbandonmentDetector(DataSource dataSource, Clock clock, PluginActivation activation,
                               ExclusionRules exclusions, int idleMinutes, int lookBackHours, int batchSize) {
        if (idleMinutes < 1) {
            throw new IllegalArgumentException("cartrecovery.detection.idle-minutes must be at least 1, was " + idleMinutes);
        }
        if (lookBackHours * 60L <= idleMinutes) {
            throw new IllegalArgumentException("cartrecovery.detection.look-back-hours (" + lookBackHours
                    + ") must be longer than the idle time (" + idleMinutes + " minutes)");
        }
        this.dataSource = dataSource;
        this.clock = clock;
        this.activation = activation;
        this.exclusions = exclusions;
        this.idleTime = Duration.ofMinutes(idleMinutes);
        this.lookBack = Duration.ofHours(lookBackHours);
        this.batchSize = batchSize;
    }

    /** Where the plugin counts what happens (bean crMetrics); in memory only until set. */
    public void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /** One detection pass over every due cart. Returns how many carts this call moved (any status). */
    public Result detect() {
        Result total = new Result();
        while (!Thread.currentThread().isInterrupted()) {
            Result batch = detectBatch();
            total.add(batch);
            if (batch.scanned < batchSize) {
                break;
            }
        }
        return total;
    }

    /**
     * One batch of at most {@code batchSize} due carts, in one transaction. A deadlock or serialization
     * failure (two nodes on overlapping rows, where the database cannot skip locked rows) rolls the whole
     * batch back and retries it, so the exactly-once transitions are kept.
     */
    public Result detectBatch() {
        for (int attempt = 1; ; attempt++) {
            try {
                return detectBatchOnce();
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof SQLException) || !SqlFailures.isLockRace(e.getCause())
                        || attempt >= 5) {
                    throw e;
                }
                try {
                    Thread.sleep(20L * attempt + (long) (Math.random() * 50));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private Result detectBatchOnce() {
        Instant now = clock.instant();
        Instant dueBefore = now.minus(idleTime);
        Instant activatedAt = activation.activatedAt();
        Instant notBefore = activatedAt.isAfter(now.minus(lookBack)) ? activatedAt : now.minus(lookBack);
        Result result = new Result();
        try (Connection connection = dataSource.getConnection()) {
            RowClaim rows = claim(connection);
            boolean autoCommit = connection.getAutoCommit();
            int isolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            // no gap locks: nodes lock exactly the rows they change
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try {
                List<Decision> decisions = decide(connection, rows, dueBefore, notBefore);
                result.scanned = decisions.size();
                List<Decision> moved = apply(connection, decisions, now, result);
                connection.commit();
                count(moved);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
                connection.setTransactionIsolation(isolation);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cart Recovery's abandonment detection failed: " + e.getMessage(), e);
        }
        return result;
    }

    private RowClaim claim(Connection connection) throws SQLException {
        RowClaim known = claim;
        if (known == null) {
            known = RowClaim.of(Database.of(connection.getMetaData()));
            claim = known;
        }
        return known;
    }

    private List<Decision> decide(Connection connection, RowClaim rows, Instant dueBefore, Instant notBefore)
            throws SQLException {
        List<Candidate> candidates = new ArrayList<Candidate>();
        try (PreparedStatement select = connection.prepareStatement(CANDIDATES + rows.lockSuffix())) {
            select.setTimestamp(1, Timestamp.from(dueBefore));
            select.setTimestamp(2, Timestamp.from(notBefore));
            select.setInt(3, batchSize);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    candidates.add(new Candidate(row));
                }
            }
        }
        Map<Long, String> orderStates = orderStates(connection, candidates);
        List<Decision> decisions = new ArrayList<Decision>(candidates.size());
        for (Candidate candidate : candidates) {
            decisions.add(decide(candidate, orderStates));
        }
        return decisions;
    }

    private static Map<Long, String> orderStates(Connection connection, List<Candidate> candidates) throws SQLException {
        Map<Long, String> states = new HashMap<Long, String>();
        if (candidates.isEmpty()) {
            return states;
        }
        StringBuilder in = new StringBuilder("(");
        for (int i = 0; i < candidates.size(); i++) {
            in.append(i == 0 ? "?" : ", ?");
        }
        try (PreparedStatement select = connection.prepareStatement(ORDER_STATES + in.append(')'))) {
            for (int i = 0; i < candidates.size(); i++) {
                select.setLong(i + 1, candidates.get(i).orderId);
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    states.put(row.getLong(1), String.valueOf(row.getString(2)));
                }
            }
        }
        return states;
    }

    private Decision decide(Candidate row, Map<Long, String> orderStates) {
        long orderId = row.orderId;
        Timestamp lastActivity = row.lastActivity;
        String orderStatus = orderStates.get(orderId);
        if (orderStatus == null) {
            return new Decision(orderId, lastActivity, CartStatus.DELETED, null);
        }
        if ("SUBMITTED".equals(orderStatus)) {
            return new Decision(orderId, lastActivity, CartStatus.PURCHASED, null);
        }
        if (row.itemCount <= 0 || !usable(row.email)) {
            return new Decision(orderId, lastActivity, CartStatus.IDLE, null);
        }
        String reason = exclusions.reasonToExclude(row.email, row.userAgent, row.clientIp, row.origin, row.total, row.currencyCode,
                row.consent);
        return reason == null
                ? new Decision(orderId, lastActivity, CartStatus.ABANDONED, null)
                : new Decision(orderId, lastActivity, CartStatus.EXCLUDED, reason);
    }

    /** Applies the decisions; returns the ones that moved their cart. */
    private static List<Decision> apply(Connection connection, List<Decision> decisions, Instant now, Result result)
            throws SQLException {
        List<Decision> moved = new ArrayList<Decision>();
        for (Decision decision : decisions) {
            // one statement per cart (not a JDBC batch): some drivers report batches without row
            // counts, and the count is what proves each cart changed exactly once
            if (CartStatusTransitions.leaveActive(connection, decision.orderId, decision.lastActivity, decision.status,
                    decision.reason, now)) {
                result.count(decision.status);
                moved.add(decision);
            }
        }
        return moved;
    }

    /** Counted once the batch committed: abandoned carts, and excluded ones by rule. */
    private void count(List<Decision> moved) {
        for (Decision decision : moved) {
            if (decision.status == CartStatus.ABANDONED) {
                metrics.cartAbandoned();
            } else if (decision.status == CartStatus.EXCLUDED) {
                metrics.cartExcluded(decision.reason);
            }
        }
    }

    private static boolean usable(String email) {
        if (email == null) {
            return false;
        }
        int at = email.indexOf('@');
        return at > 0 && at < email.length() - 1 && email.indexOf('@', at + 1) < 0;
    }

    /** A due cart as read from CR_CAPTURED_CART. */
    private static final class Candidate {
        final long orderId;
        final Timestamp lastActivity;
        final String email;
        final int itemCount;
        final BigDecimal total;
        final String currencyCode;
        final MarketingConsent consent;
        final String clientIp;
        final String userAgent;
        final CartOrigin origin;

        Candidate(ResultSet row) throws SQLException {
            orderId = row.getLong("ORDER_ID");
            lastActivity = row.getTimestamp("LAST_ACTIVITY");
            email = row.getString("EMAIL");
            itemCount = row.getInt("ITEM_COUNT");
            total = row.getBigDecimal("TOTAL");
            currencyCode = row.getString("CURRENCY_CODE");
            consent = MarketingConsent.valueOf(row.getString("MARKETING_CONSENT"));
            clientIp = row.getString("CLIENT_IP");
            userAgent = row.getString("USER_AGENT");
            origin = CartOrigin.valueOf(row.getString("ORIGIN"));
        }
    }

    private static final class Decision {
        final long orderId;
        final Timestamp lastActivity;
        final CartStatus status;
        final String reason;

        Decision(long orderId, Timestamp lastActivity, CartStatus status, String reason) {
            this.orderId = orderId;
            this.lastActivity = lastActivity;
            this.status = status;
            this.reason = reason;
        }
    }

    /** What one pass did, by resulting status. */
    public static final class Result {
        int scanned;
        private int abandoned;
        private int excluded;
        private int idle;
        private int purchased;
        private int deleted;

        void count(CartStatus status) {
            switch (status) {
                case ABANDONED: abandoned++; break;
                case EXCLUDED: excluded++; break;
                case IDLE: idle++; break;
                case PURCHASED: purchased++; break;
                case DELETED: deleted++; break;
                default: break;
            }
        }

        void add(Result other) {
            scanned += other.scanned;
            abandoned += other.abandoned;
            excluded += other.excluded;
            idle += other.idle;
            purchased += other.purchased;
            deleted += other.deleted;
        }

        public int abandoned() { return abandoned; }
        public int excluded() { return excluded; }
        public int idle() { return idle; }
        public int purchased() { return purchased; }
        public int deleted() { return deleted; }
        public int changed() { return abandoned + excluded + idle + purchased + deleted; }

        @Override
        public String toString() {
            return "abandoned=" + abandoned + " excluded=" + excluded + " idle=" + idle
                    + " purchased=" + purchased + " deleted=" + deleted;
        }
    }
}
