package io.github.cartrecovery.site.restore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpSession;
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
import org.broadleafcommerce.profile.core.domain.Customer;
import org.broadleafcommerce.profile.web.core.CustomerState;
import org.broadleafcommerce.profile.web.core.security.CustomerStateRequestProcessor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import io.github.cartrecovery.coupon.RecoveryCoupons;
import io.github.cartrecovery.rendering.CatalogPrices;

/**
 * Host adapter behind the restore landing: brings an abandoned cart back into the current Broadleaf
 * request (customer and cart as Broadleaf's filters resolved them: {@link CustomerState}, {@link CartState}).
 * <ul>
 * <li>Cart open, nobody authenticated, the cart's owner is an anonymous customer and the session has no
 * cart with items: the cart is re-attached the way Broadleaf keeps anonymous carts, by putting its
 * customer id in the session ({@code _blc_anonymousCustomerId}) and dropping the session's unsaved
 * anonymous customer; the next request's filters resolve it. Works on any device.</li>
 * <li>Cart open, and the session has another cart with items, or a shopper is logged in, or the owner is a
 * registered customer: the items are copied into the session's cart (created for the current customer when
 * there is none) with {@code OrderService.addItem}, skipping every SKU the cart already holds. Nobody is
 * logged in, no identity changes.</li>
 * <li>Cart submitted: {@link RestoreOutcome#PURCHASED}.</li>
 * <li>Cart gone from Broadleaf (purged, cancelled): rebuilt from CR_CAPTURED_CART_ITEM into the session's
 * cart, only SKUs still sold, priced by Broadleaf today; unless it was captured as purchased.</li>
 * </ul>
 * The message's coupon (if a {@link RecoveryCoupons} is installed) is applied to the cart the shopper
 * will see. Repeating a restore adds nothing twice.
 */
public class CartRestorer {

    private static final Log LOG = LogFactory.getLog(CartRestorer.class);

    private final OrderService orderService;
    private final CatalogPrices catalog;
    private final JdbcTemplate jdbc;
    private RecoveryCoupons coupons;

    public CartRestorer(OrderService orderService, CatalogPrices catalog, DataSource dataSource) {
        this.orderService = orderService;
        this.catalog = catalog;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Optional: the coupons module's bean (crRecoveryCoupons) when it is installed. */
    @Autowired(required = false)
    public void setCoupons(@Qualifier("crRecoveryCoupons") RecoveryCoupons coupons) {
        this.coupons = coupons;
    }

    public RestoreOutcome restore(long plannedMessageId, long orderId, HttpServletRequest request) {
        Order abandoned = orderService.findOrderById(orderId);
        if (abandoned != null && OrderStatus.SUBMITTED.equals(abandoned.getStatus())) {
            return RestoreOutcome.PURCHASED;
        }
        Order current = currentCart();
        Customer shopper = CustomerState.getCustomer();
        if (abandoned == null || !OrderStatus.IN_PROCESS.equals(abandoned.getStatus())) {
            if (capturedAsPurchased(orderId)) {
                return RestoreOutcome.PURCHASED;
            }
            List<Line> lines = snapshotLinesStillSold(orderId);
            if (lines.isEmpty()) {
                return RestoreOutcome.NOTHING_TO_RESTORE;
            }
            Order target = current == null ? orderService.createNewCartForCustomer(shopper) : current;
            target = merge(target, lines);
            applyCoupon(target, plannedMessageId);
            return RestoreOutcome.REBUILT;
        }
        if (current != null && current.getId().equals(abandoned.getId())) {
            applyCoupon(abandoned, plannedMessageId);
            return RestoreOutcome.ALREADY_CURRENT;
        }
        Customer owner = abandoned.getCustomer();
        boolean sessionCartHasItems = current != null && !current.getOrderItems().isEmpty();
        if (!authenticated(shopper) && owner != null && !owner.isRegistered() && !sessionCartHasItems) {
            HttpSession session = request.getSession(true);
            session.removeAttribute(CustomerStateRequestProcessor.getAnonymousCustomerSessionAttributeName());
            session.setAttribute(CustomerStateRequestProcessor.getAnonymousCustomerIdSessionAttributeName(), owner.getId());
            applyCoupon(abandoned, plannedMessageId);
            return RestoreOutcome.REATTACHED;
        }
        Order target = current == null ? orderService.createNewCartForCustomer(shopper) : current;
        target = merge(target, linesOf(abandoned));
        applyCoupon(target, plannedMessageId);
        return RestoreOutcome.MERGED;
    }

    private static Order currentCart() {
        Order cart = CartState.getCart();
        return cart == null || cart instanceof NullOrderImpl || cart.getId() == null ? null : cart;
    }

    private static boolean authenticated(Customer shopper) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken)) {
            return true;
        }
        return shopper != null && (shopper.isLoggedIn() || shopper.isCookied() || !shopper.isAnonymous());
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
        List<Line> lines = new ArrayList<Line>();
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT PRODUCT_ID, SKU_ID, QUANTITY FROM CR_CAPTURED_CART_ITEM "
                + "WHERE ORDER_ID = ? ORDER BY LINE_NO", orderId);
        List<Long> skuIds = new ArrayList<Long>();
        for (Map<String, Object> row : rows) {
            if (row.get("SKU_ID") != null) {
                skuIds.add(((Number) row.get("SKU_ID")).longValue());
            }
        }
        // One catalog read for the whole snapshot; a SKU missing from the answer is not sold any more.
        Map<Long, java.math.BigDecimal> stillSold = catalog.currentPrices(skuIds);
        for (Map<String, Object> row : rows) {
            Number skuId = (Number) row.get("SKU_ID");
            Number productId = (Number) row.get("PRODUCT_ID");
            Number quantity = (Number) row.get("QUANTITY");
            if (skuId == null || quantity == null || quantity.intValue() < 1 || !stillSold.containsKey(skuId.longValue())) {
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
