package io.github.cartrecovery.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.OrderService;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.database.SqlFailures;
import io.github.cartrecovery.scheduling.ScheduledWork;
import io.github.cartrecovery.state.PluginActivation;
import io.github.cartrecovery.state.PluginSettings;

/**
 * Makes captured carts converge to Broadleaf's truth when a capture was lost (a node died with events
 * still buffered, an order changed outside the web tier). Each run sweeps the next {@code chunkSize}
 * rows of BLC_ORDER and of CR_CAPTURED_CART by primary key (cursors kept in CR_SETTING, shared by all
 * nodes, wrapping around at the end), so a run's cost is bounded whatever the table sizes and every row
 * is visited again after {@code tableSize / chunkSize} runs. It records:
 * <ul>
 *   <li>open carts (no name, created since activation minus the look-back) with no captured record;</li>
 *   <li>submitted orders whose record is not yet PURCHASED or RECOVERED;</li>
 *   <li>captured carts whose order no longer exists, as DELETED.</li>
 * </ul>
 * Idempotent; safe on several nodes at once (writes go through {@link CapturedCartStore}).
 * <p>
 * A row it cannot read or write never holds it up: it is recorded in CR_CAPTURE_REJECTION (through
 * {@link CaptureWriter}) and the cursor moves past it. Only an unavailable database stops a run before the
 * cursor moves (the run fails and the next one retries the same chunk).
 */
public class CaptureReconciliation implements ScheduledWork {

    static final String ORDER_CURSOR = "RECONCILE_ORDER_CURSOR";
    static final String CART_CURSOR = "RECONCILE_CART_CURSOR";

    /** Captured states a cart can still leave; final ones (purchased, deleted, excluded...) are left alone. */
    static final String OPEN_STATUSES = "'ACTIVE', 'IDLE', 'ABANDONED', 'IN_RECOVERY', 'HELD_OUT', 'EMPTIED'";

    private static final String ORDERS =
            "SELECT o.ORDER_ID, o.ORDER_STATUS, o.NAME, o.DATE_CREATED, c.STATUS"
            + " FROM BLC_ORDER o LEFT JOIN CR_CAPTURED_CART c ON c.ORDER_ID = o.ORDER_ID"
            + " WHERE o.ORDER_ID > ? ORDER BY o.ORDER_ID LIMIT ?";

    private static final String CARTS =
            "SELECT c.ORDER_ID, o.ORDER_ID AS BLC_ORDER_ID"
            + " FROM CR_CAPTURED_CART c LEFT JOIN BLC_ORDER o ON o.ORDER_ID = c.ORDER_ID"
            + " WHERE c.ORDER_ID > ? AND c.STATUS IN (" + CaptureReconciliation.OPEN_STATUSES + ")"
            + " ORDER BY c.ORDER_ID LIMIT ?";

    private final DataSource dataSource;
    private final OrderService orderService;
    private final OrderEventCapture observer;
    private final CaptureWriter writer;
    private final TransactionTemplate readOnly;
    private final PluginActivation activation;
    private final PluginSettings settings;
    private final Clock clock;
    private final Duration lookBack;
    private final int chunkSize;

    public CaptureReconciliation(DataSource dataSource, OrderService orderService, OrderEventCapture observer,
                                 CaptureWriter writer, PlatformTransactionManager transactionManager,
                                 PluginActivation activation, PluginSettings settings, Clock clock,
                                 int lookBackHours, int chunkSize) {
        this.dataSource = dataSource;
        this.orderService = orderService;
        this.observer = observer;
        this.writer = writer;
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
        this.activation = activation;
        this.settings = settings;
        this.clock = clock;
        this.lookBack = Duration.ofHours(lookBackHours);
        this.chunkSize = chunkSize;
    }

    @Override
    public int run() {
        try {
            return reconcileOrders() + reconcileCarts();
        } catch (SQLException e) {
            throw new IllegalStateException("Cart Recovery's capture reconciliation failed: " + e.getMessage(), e);
        }
    }

    private int reconcileOrders() throws SQLException {
        long cursor = cursor(ORDER_CURSOR);
        Instant createdSince = activation.activatedAt().minus(lookBack);
        Map<Long, CartObservation.OrderState> stale = new LinkedHashMap<Long, CartObservation.OrderState>();
        long last = cursor;
        int seen = 0;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(ORDERS)) {
            select.setLong(1, cursor);
            select.setInt(2, chunkSize);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    seen++;
                    last = row.getLong("ORDER_ID");
                    String orderStatus = row.getString("ORDER_STATUS");
                    String captured = row.getString("STATUS");
                    Timestamp created = row.getTimestamp("DATE_CREATED");
                    boolean openCart = "IN_PROCESS".equals(orderStatus) && row.getString("NAME") == null;
                    if (openCart && captured == null && created != null && !created.toInstant().isBefore(createdSince)) {
                        stale.put(last, CartObservation.OrderState.OPEN);
                    } else if ("SUBMITTED".equals(orderStatus) && captured != null
                            && OPEN_STATUSES.contains("'" + captured + "'")) {
                        stale.put(last, CartObservation.OrderState.SUBMITTED);
                    }
                }
            }
        }
        List<CartObservation> observations = new ArrayList<CartObservation>();
        for (final Long orderId : stale.keySet()) {
            CartObservation observation;
            try {
                observation = readOnly.execute(new TransactionCallback<CartObservation>() {
                    @Override
                    public CartObservation doInTransaction(TransactionStatus status) {
                        Order order = orderService.findOrderById(orderId, true);
                        return order == null ? null : observer.observe(order, true);
                    }
                });
            } catch (RuntimeException e) {
                if (SqlFailures.isTransient(e)) {
                    throw e;
                }
                writer.rejectUnreadable(orderId, e);
                continue;
            }
            if (observation != null) {
                // the row's status is the truth even if Broadleaf's caches still hold an older order
                observations.add(observation.withOrderState(stale.get(orderId)));
            }
        }
        write(observations);
        saveCursor(ORDER_CURSOR, seen < chunkSize ? 0 : last);
        return observations.size();
    }

    private int reconcileCarts() throws SQLException {
        long cursor = cursor(CART_CURSOR);
        List<CartObservation> deleted = new ArrayList<CartObservation>();
        long last = cursor;
        int seen = 0;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(CARTS)) {
            select.setLong(1, cursor);
            select.setInt(2, chunkSize);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    seen++;
                    last = row.getLong("ORDER_ID");
                    if (row.getObject("BLC_ORDER_ID") == null) {
                        deleted.add(CartObservation.deleted(last, clock.instant()));
                    }
                }
            }
        }
        write(deleted);
        saveCursor(CART_CURSOR, seen < chunkSize ? 0 : last);
        return deleted.size();
    }

    /** Writes or rejects every observation; throws (leaving the cursor where it was) only when the database is down. */
    private void write(List<CartObservation> observations) {
        CaptureWriter.Unwritten unwritten = writer.write(observations, Collections.<ConsentStatement>emptyList(), true);
        if (!unwritten.isEmpty()) {
            throw new IllegalStateException("Cart Recovery's capture reconciliation could not write "
                    + unwritten.getObservations().size() + " carts: the database is unavailable; the next run retries");
        }
    }

    /**
     * Orders the current pass has not reached yet (BLC_ORDER rows above the order cursor): an order created now is
     * reconciled after about {@code ordersAhead / chunk-size} more runs. For the health check.
     */
    public long ordersAhead() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM BLC_ORDER WHERE ORDER_ID > ?")) {
            count.setLong(1, cursor(ORDER_CURSOR));
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cart Recovery could not count the orders reconciliation has ahead: " + e.getMessage(), e);
        }
    }

    private long cursor(String name) {
        String value = settings.read(name);
        return value == null ? 0L : Long.parseLong(value);
    }

    private void saveCursor(String name, long value) {
        settings.write(name, String.valueOf(value));
    }
}
