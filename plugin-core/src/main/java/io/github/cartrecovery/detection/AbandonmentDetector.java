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
import java.util.List;

import javax.sql.DataSource;

import io.github.cartrecovery.capture.CartOrigin;
import io.github.cartrecovery.capture.CartStatus;
import io.github.cartrecovery.capture.MarketingConsent;

/**
 * Decides which idle carts are abandoned. A cart is abandoned when it is ACTIVE, has items and a usable
 * email, is not submitted in Broadleaf, was last active between {@code max(activation, now - lookBack)}
 * and {@code now - idleTime}, and matches no {@link ExclusionRules exclusion rule}.
 *
 * <p>Cost: the candidate query is a range scan of index IX_CR_CART_STATUS_ACTIVITY (STATUS, LAST_ACTIVITY)
 * plus a primary-key lookup in BLC_ORDER per candidate, so it grows with the number of due carts, not
 * with the size of the order table. Idle carts that cannot be recovered move to IDLE (and EXCLUDED,
 * PURCHASED, DELETED), so no cart is scanned twice.
 *
 * <p>Runs on every node: each transition is a conditional UPDATE (... WHERE STATUS = 'ACTIVE' AND
 * LAST_ACTIVITY = the value read), so two nodes scanning the same carts change each exactly once, and a
 * cart touched by the shopper meanwhile is left alone. A node stopped mid-run leaves the rest ACTIVE
 * for the next run on any node.
 */
public class AbandonmentDetector {

    static final String CANDIDATES =
            "SELECT c.ORDER_ID, c.LAST_ACTIVITY, c.EMAIL, c.ITEM_COUNT, c.TOTAL, c.MARKETING_CONSENT,"
            + " c.CLIENT_IP, c.USER_AGENT, c.ORIGIN, o.ORDER_ID AS BLC_ORDER_ID, o.ORDER_STATUS"
            + " FROM CR_CAPTURED_CART c LEFT JOIN BLC_ORDER o ON o.ORDER_ID = c.ORDER_ID"
            + " WHERE c.STATUS = 'ACTIVE' AND c.LAST_ACTIVITY <= ? AND c.LAST_ACTIVITY >= ?"
            + " ORDER BY c.LAST_ACTIVITY, c.ORDER_ID LIMIT ?";

    static final String TRANSITION =
            "UPDATE CR_CAPTURED_CART SET STATUS = ?, ABANDONED_AT = ?, STATUS_CHANGED_AT = ?, EXCLUSION_REASON = ?"
            + " WHERE ORDER_ID = ? AND STATUS = 'ACTIVE' AND LAST_ACTIVITY = ?";

    private final DataSource dataSource;
    private final Clock clock;
    private final PluginActivation activation;
    private final ExclusionRules exclusions;
    private final Duration idleTime;
    private final Duration lookBack;
    private final int batchSize;

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

    /** One batch of at most {@code batchSize} due carts, in one transaction. */
    public Result detectBatch() {
        Instant now = clock.instant();
        Instant dueBefore = now.minus(idleTime);
        Instant activatedAt = activation.activatedAt();
        Instant notBefore = activatedAt.isAfter(now.minus(lookBack)) ? activatedAt : now.minus(lookBack);
        Result result = new Result();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                List<Decision> decisions = decide(connection, dueBefore, notBefore);
                result.scanned = decisions.size();
                apply(connection, decisions, now, result);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cart Recovery's abandonment detection failed: " + e.getMessage(), e);
        }
        return result;
    }

    private List<Decision> decide(Connection connection, Instant dueBefore, Instant notBefore) throws SQLException {
        List<Decision> decisions = new ArrayList<Decision>();
        try (PreparedStatement select = connection.prepareStatement(CANDIDATES)) {
            select.setTimestamp(1, Timestamp.from(dueBefore));
            select.setTimestamp(2, Timestamp.from(notBefore));
            select.setInt(3, batchSize);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    decisions.add(decide(row));
                }
            }
        }
        return decisions;
    }

    private Decision decide(ResultSet row) throws SQLException {
        long orderId = row.getLong("ORDER_ID");
        Timestamp lastActivity = row.getTimestamp("LAST_ACTIVITY");
        if (row.getObject("BLC_ORDER_ID") == null) {
            return new Decision(orderId, lastActivity, CartStatus.DELETED, null);
        }
        if ("SUBMITTED".equals(row.getString("ORDER_STATUS"))) {
            return new Decision(orderId, lastActivity, CartStatus.PURCHASED, null);
        }
        String email = row.getString("EMAIL");
        if (row.getInt("ITEM_COUNT") <= 0 || !usable(email)) {
            return new Decision(orderId, lastActivity, CartStatus.IDLE, null);
        }
        BigDecimal total = row.getBigDecimal("TOTAL");
        String reason = exclusions.reasonToExclude(email, row.getString("USER_AGENT"), row.getString("CLIENT_IP"),
                CartOrigin.valueOf(row.getString("ORIGIN")), total,
                MarketingConsent.valueOf(row.getString("MARKETING_CONSENT")));
        return reason == null
                ? new Decision(orderId, lastActivity, CartStatus.ABANDONED, null)
                : new Decision(orderId, lastActivity, CartStatus.EXCLUDED, reason);
    }

    private static void apply(Connection connection, List<Decision> decisions, Instant now, Result result)
            throws SQLException {
        if (decisions.isEmpty()) {
            return;
        }
        Timestamp at = Timestamp.from(now);
        try (PreparedStatement update = connection.prepareStatement(TRANSITION)) {
            for (Decision decision : decisions) {
                update.setString(1, decision.status.name());
                update.setTimestamp(2, decision.status == CartStatus.ABANDONED ? at : null);
                update.setTimestamp(3, at);
                update.setString(4, decision.reason);
                update.setLong(5, decision.orderId);
                update.setTimestamp(6, decision.lastActivity);
                // one statement per cart (not a JDBC batch): some drivers report batches without row
                // counts, and the count is what proves each cart changed exactly once
                if (update.executeUpdate() == 1) {
                    result.count(decision.status);
                }
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
