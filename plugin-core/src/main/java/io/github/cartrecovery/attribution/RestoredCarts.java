package io.github.cartrecovery.attribution;

import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The one writer of CR_RESTORED_CART: which visitor cart a restore link copied a captured cart into.
 * A restore never hands the visitor the owner's cart or customer; this record is what still lets the order
 * placed from the copy count as recovered by the message whose link was opened ({@link OrderAttribution}),
 * and what stops the original cart's remaining messages once the copy is bought ({@code ExitRules}).
 * Idempotent: the primary key (copy, message) keeps one row however often a link is opened, on any node.
 */
public class RestoredCarts {

    private final JdbcTemplate jdbc;

    public RestoredCarts(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Records that {@code plannedMessageId}'s cart {@code sourceOrderId} was copied into {@code targetOrderId}. */
    public void record(long plannedMessageId, long sourceOrderId, long targetOrderId, Instant at) {
        if (sourceOrderId == targetOrderId) {
            return; // the owner's own cart: attribution finds its messages by order id already
        }
        Integer known = jdbc.queryForObject("SELECT COUNT(*) FROM CR_RESTORED_CART WHERE TARGET_ORDER_ID = ?"
                + " AND PLANNED_MESSAGE_ID = ?", Integer.class, targetOrderId, plannedMessageId);
        if (known != null && known > 0) {
            return;
        }
        try {
            jdbc.update("INSERT INTO CR_RESTORED_CART (TARGET_ORDER_ID, PLANNED_MESSAGE_ID, SOURCE_ORDER_ID, RESTORED_AT)"
                    + " VALUES (?, ?, ?, ?)", targetOrderId, plannedMessageId, sourceOrderId,
                    new Timestamp(at.toEpochMilli()));
        } catch (DuplicateKeyException openedTwiceAtOnce) {
            // another request (or node) recorded the same copy first: one row is what we want
        }
    }
}
