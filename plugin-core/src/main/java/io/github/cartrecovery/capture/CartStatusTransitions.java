package io.github.cartrecovery.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every move of a captured cart through its lifecycle ({@link CartStatus}) that a later step makes, one method per
 * transition, with its SQL in plain sight and the statuses bound as parameters: detection settles idle carts,
 * planning takes abandoned carts into recovery or excludes them, attribution marks bought carts recovered. Capture
 * itself moves carts through the {@link CapturedCart} entity as it observes them (ACTIVE, EMPTIED, PURCHASED,
 * DELETED), under the same rule: a final status is never left. Each transition is conditional on the status it leaves,
 * so two nodes never move one cart twice, and runs in the caller's transaction.
 */
public final class CartStatusTransitions {

    /** Where detection may move an idle ACTIVE cart. */
    private static final Set<CartStatus> AFTER_IDLE = EnumSet.of(CartStatus.ABANDONED, CartStatus.IDLE,
            CartStatus.EXCLUDED, CartStatus.PURCHASED, CartStatus.DELETED);

    static final String LEAVE_ACTIVE = "UPDATE CR_CAPTURED_CART SET STATUS = ?, ABANDONED_AT = ?, STATUS_CHANGED_AT = ?,"
            + " EXCLUSION_REASON = ? WHERE ORDER_ID = ? AND STATUS = ? AND LAST_ACTIVITY = ?";

    private final JdbcTemplate jdbc;

    /** @param jdbc the caller's (the transitions run in its transaction) */
    public CartStatusTransitions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Detection: an ACTIVE cart idle long enough becomes ABANDONED (ABANDONED_AT set), IDLE, EXCLUDED (with the
     * reason), PURCHASED or DELETED, unless it changed since detection read it (LAST_ACTIVITY) or another node settled
     * it first. Detection runs its own transaction on one connection (READ COMMITTED, rows locked as it reads them),
     * hence the connection. True when this call moved the cart.
     */
    public static boolean leaveActive(Connection connection, long orderId, Timestamp lastActivity, CartStatus next,
                                      String exclusionReason, Instant at) throws SQLException {
        if (!AFTER_IDLE.contains(next)) {
            throw new IllegalArgumentException("an idle cart cannot become " + next);
        }
        Timestamp now = Timestamp.from(at);
        try (PreparedStatement update = connection.prepareStatement(LEAVE_ACTIVE)) {
            update.setString(1, next.name());
            update.setTimestamp(2, next == CartStatus.ABANDONED ? now : null);
            update.setTimestamp(3, now);
            update.setString(4, exclusionReason);
            update.setLong(5, orderId);
            update.setString(6, CartStatus.ACTIVE.name());
            update.setTimestamp(7, lastActivity);
            return update.executeUpdate() == 1;
        }
    }

    /** Planning: ABANDONED becomes IN_RECOVERY. False when another node took the cart first. */
    public boolean startRecovery(long orderId, Instant at) {
        return jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = ?, STATUS_CHANGED_AT = ? WHERE ORDER_ID = ? AND STATUS = ?",
                CartStatus.IN_RECOVERY.name(), ts(at), orderId, CartStatus.ABANDONED.name()) == 1;
    }

    /**
     * Planning: the cart the planner just took (IN_RECOVERY) is in its campaign's experiment's holdout: HELD_OUT, no
     * message on any channel; purchase and attribution go on as for every cart. False when it was not IN_RECOVERY.
     */
    public boolean holdOut(long orderId, Instant at) {
        return jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = ?, STATUS_CHANGED_AT = ? WHERE ORDER_ID = ? AND STATUS = ?",
                CartStatus.HELD_OUT.name(), ts(at), orderId, CartStatus.IN_RECOVERY.name()) == 1;
    }

    /**
     * Planning: the cart the planner just took is never emailed (no address, a cooldown, no campaign for it...):
     * EXCLUDED with the reason.
     */
    public void exclude(long orderId, String reason, Instant at) {
        jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = ?, EXCLUSION_REASON = ?, STATUS_CHANGED_AT = ? WHERE ORDER_ID = ?",
                CartStatus.EXCLUDED.name(), reason, ts(at), orderId);
    }

    /**
     * Attribution: a PURCHASED cart bought after a click on its recovery message becomes RECOVERED. STATUS_CHANGED_AT
     * keeps the purchase time. False when it was not PURCHASED.
     */
    public boolean recoverPurchase(long orderId) {
        return jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = ? WHERE ORDER_ID = ? AND STATUS = ?",
                CartStatus.RECOVERED.name(), orderId, CartStatus.PURCHASED.name()) == 1;
    }

    /**
     * Attribution: the original of a restored copy that was bought becomes RECOVERED at the purchase time, from any
     * status that is not final, so nothing more is sent for it. False when it had ended already.
     */
    public boolean recoverOriginal(long orderId, Instant purchasedAt) {
        List<Object> args = new ArrayList<Object>();
        args.add(CartStatus.RECOVERED.name());
        args.add(ts(purchasedAt));
        args.add(orderId);
        StringBuilder open = new StringBuilder();
        for (CartStatus status : CartStatus.values()) {
            if (!status.isFinal()) {
                open.append(open.length() == 0 ? "?" : ", ?");
                args.add(status.name());
            }
        }
        return jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = ?, STATUS_CHANGED_AT = ? WHERE ORDER_ID = ?"
                + " AND STATUS IN (" + open + ")", args.toArray()) == 1;
    }

    private static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }
}
