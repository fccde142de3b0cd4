package io.github.cartrecovery.site.restore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.broadleafcommerce.core.order.domain.DiscreteOrderItem;
import org.broadleafcommerce.core.order.domain.NullOrderImpl;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.domain.OrderItemAttribute;
import org.broadleafcommerce.core.order.service.OrderService;
import org.broadleafcommerce.core.order.service.call.OrderItemRequestDTO;
import org.broadleafcommerce.core.order.service.exception.AddToCartException;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.broadleafcommerce.core.web.order.CartState;
import org.broadleafcommerce.profile.web.core.CustomerState;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.attribution.RestoredCarts;
import io.github.cartrecovery.coupon.RecoveryCoupons;
import io.github.cartrecovery.rendering.CatalogPrices;

/**
 * Host adapter behind the restore landing: copies an abandoned cart into the visitor's own cart in the current
 * Broadleaf request (customer and cart as Broadleaf's filters resolved them: {@link CustomerState},
 * {@link CartState}).
 * <p>A restore link is a bearer link: it may be forwarded, opened by a link-scanning gateway, or sent to a victim
 * by an attacker. So it never hands anyone the owner's cart or customer. The visitor keeps their own identity
 * (anonymous, or logged in as themselves); the captured lines are copied into their cart (created for them when
 * they have none) with {@code OrderService.addItem}, skipping every SKU the cart already holds, so opening the
 * link twice adds nothing twice. Nothing of the owner's (email, name, address) reaches the copy; nobody is logged
 * in. The copy is recorded in CR_RESTORED_CART ({@link RestoredCarts}): the order placed from it credits the
 * message as recovered, the original cart is then marked RECOVERED by attribution, and its remaining messages
 * stop ({@code ExitReason.RESTORED_COPY_BOUGHT}).
 * <ul>
 * <li>Cart open: {@link RestoreOutcome#COPIED}; {@link RestoreOutcome#ALREADY_CURRENT} when the session's cart is
 * that very cart (the owner on their own device).</li>
 * <li>Cart submitted: {@link RestoreOutcome#PURCHASED}.</li>
 * <li>Cart gone from Broadleaf (purged, cancelled): rebuilt from CR_CAPTURED_CART_ITEM into the visitor's cart,
 * only SKUs still sold, priced by Broadleaf today; unless it was captured as purchased.</li>
 * </ul>
 * The message's coupon (if a {@link RecoveryCoupons} is installed) is applied to the cart the visitor will see.
 */
public class CartRestorer {

    private static final Log LOG = LogFactory.getLog(CartRestorer.class);

    private final OrderService orderService;
    private final CatalogPrices catalog;
    private final JdbcTemplate jdbc;
    private final RestoredCarts restoredCarts;
    private final Clock clock;
    private RecoveryCoupons coupons;

    public CartRestorer(OrderService orderService, CatalogPrices catalog, DataSource dataSource,
                        RestoredCarts restoredCarts, Clock clock) {
        this.orderService = orderService;
        this.catalog = catalog;
        this.jdbc = new JdbcTemplate(dataSource);
        this.restoredCarts = restoredCarts;
        this.clock = clock;
    }

    /** Optional: the coupons module's bean (crRecoveryCoupons) when it is installed. */
    @Autowired(required = false)
    public void setCoupons(@Qualifier("crRecoveryCoupons") RecoveryCoupons coupons) {
        this.coupons = coupons;
    }

    public RestoreOutcome restore(long plannedMessageId, long orderId) {
        Order abandoned = orderService.findOrderById(orderId);
        if (abandoned != null && OrderStatus.SUBMITTED.equals(abandoned.getStatus())) {
            return RestoreOutcome.PURCHASED;
        }
        Order current = currentCart();
        if (abandoned == null || !OrderStatus.IN_PROCESS.equals(abandoned.getStatus())) {
            if (capturedAsPurchased(orderId)) {
                return RestoreOutcome.PURCHASED;
            }
            List<Line> lines = snapshotLinesStillSold(orderId);
            if (lines.isEmpty()) {
                return RestoreOutcome.NOTHING_TO_RESTORE;
            }
            copyInto(current, lines, plannedMessageId, orderId);
            return RestoreOutcome.REBUILT;
        }
        if (current != null && current.getId().equals(abandoned.getId())) {
            applyCoupon(abandoned, plannedMessageId);
            return RestoreOutcome.ALREADY_CURRENT;
        }
        copyInto(current, linesOf(abandoned), plannedMessageId, orderId);
        return RestoreOutcome.COPIED;
    }

    /** The visitor's cart (created for the session's own customer when there is none) with the lines added. */
    private void copyInto(Order current, List<Line> lines, long plannedMessageId, long sourceOrderId) {
        Order target = current == null ? orderService.createNewCartForCustomer(CustomerState.getCustomer()) : current;
        target = merge(target, lines);
        restoredCarts.record(plannedMessageId, sourceOrderId, target.getId(), clock.instant());
        applyCoupon(target, plannedMessageId);
    }

    private static Order currentCart() {
        Order cart = CartState.getCart();
        return cart == null || cart instanceof NullOrderImpl || cart.getId() == null ? null : cart;
    }

    /** Adds every line whose SKU the cart does not hold yet; a line Broadleaf refuses is left out. */
    private Order merge(Order target, List<Line> lines) {
        Set<Long> held = new HashSet<Long>();
        for (DiscreteOrderItem item : target.getDiscreteOrderItems()) {
            if (item.getSku() != null) {
                held.add(item.getSku().getId());
            }
        }
        Order merged = target;
        for (Line line : lines) {
            if (line.skuId == null || !held.add(line.skuId)) {
                continue;
            }
            OrderItemRequestDTO request = new OrderItemRequestDTO(line.productId, line.skuId, line.quantity);
            if (!line.attributes.isEmpty()) {
                request.setItemAttributes(line.attributes);
            }
            try {
                merged = orderService.addItem(merged.getId(), request, true);
            } catch (AddToCartException e) {
                LOG.info("Cart Recovery: SKU " + line.skuId + " could not be restored into cart " + merged.getId() + ": " + e);
            }
        }
        return merged;
    }

    private void applyCoupon(Order cart, long plannedMessageId) {
        if (coupons == null) {
            return;
        }
        try {
            coupons.applyTo(cart, plannedMessageId);
        } catch (RuntimeException e) {
            // a coupon that cannot be applied must not cost the shopper their cart
            LOG.warn("Cart Recovery: the coupon of planned message " + plannedMessageId + " was not applied", e);
        }
    }

    private static List<Line> linesOf(Order order) {
        List<Line> lines = new ArrayList<Line>();
        for (DiscreteOrderItem item : order.getDiscreteOrderItems()) {
            if (item.getSku() == null) {
                continue;
            }
            Map<String, String> attributes = new HashMap<String, String>();
            if (item.getOrderItemAttributes() != null) {
                for (Map.Entry<String, OrderItemAttribute> attribute : item.getOrderItemAttributes().entrySet()) {
                    attributes.put(attribute.getKey(), attribute.getValue().getValue());
                }
            }
            lines.add(new Line(item.getProduct() == null ? null : item.getProduct().getId(), item.getSku().getId(),
                    item.getQuantity(), attributes));
        }
        return lines;
    }

    private boolean capturedAsPurchased(long orderId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAPTURED_CART WHERE ORDER_ID = ? "
                + "AND STATUS IN ('PURCHASED', 'RECOVERED')", Integer.class, orderId) > 0;
    }

    private List<Line> snapshotLinesStillSold(long orderId) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT PRODUCT_ID, SKU_ID, QUANTITY FROM CR_CAPTURED_CART_ITEM "
                + "WHERE ORDER_ID = ? ORDER BY LINE_NO", orderId);
        List<Long> skuIds = new ArrayList<Long>();
        for (Map<String, Object> row : rows) {
            Number skuId = (Number) row.get("SKU_ID");
            if (skuId != null) {
                skuIds.add(skuId.longValue());
            }
        }
        Map<Long, java.math.BigDecimal> stillSold = catalog.currentPrices(skuIds); // no price: no longer sold
        List<Line> lines = new ArrayList<Line>();
        for (Map<String, Object> row : rows) {
            Number skuId = (Number) row.get("SKU_ID");
            Number productId = (Number) row.get("PRODUCT_ID");
            Number quantity = (Number) row.get("QUANTITY");
            if (skuId == null || quantity == null || quantity.intValue() < 1 || stillSold.get(skuId.longValue()) == null) {
                continue;
            }
            lines.add(new Line(productId == null ? null : productId.longValue(), skuId.longValue(), quantity.intValue(),
                    new HashMap<String, String>()));
        }
        return lines;
    }

    private static final class Line {
        final Long productId;
        final Long skuId;
        final int quantity;
        final Map<String, String> attributes;

        Line(Long productId, Long skuId, int quantity, Map<String, String> attributes) {
            this.productId = productId;
            this.skuId = skuId;
            this.quantity = quantity;
            this.attributes = attributes;
        }
    }
}
