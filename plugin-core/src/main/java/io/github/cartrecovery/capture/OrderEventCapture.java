package io.github.cartrecovery.capture;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.order.domain.DiscreteOrderItem;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.domain.OrderItem;
import org.broadleafcommerce.core.order.domain.OrderItemAttribute;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.broadleafcommerce.core.order.domain.OrderPersistedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Host edge: turns Broadleaf's {@link OrderPersistedEvent} (published after every committed change to an
 * order: add, update, remove, merge, checkout email, submit) into a {@link CartObservation} and hands it
 * to the {@link CaptureBuffer}. Runs on the shopper's thread, so it only copies values: no database
 * work of its own. Fires several times per request; the buffer coalesces them. Every value passes
 * {@link CaptureInputRules} here, so whatever a shopper, the host or an admin typed, the row fits its columns.
 * Each line carries its product's email image ({@link ProductImages}) and the shopper's options.
 * Phone numbers Broadleaf holds for the cart ({@link BroadleafPhones}) are captured without SMS consent.
 * Never fails the shopper's request: a failure to read the order is logged (once per cause per interval) and the
 * cart is left to reconciliation.
 */
public class OrderEventCapture implements ApplicationListener<OrderPersistedEvent> {

    private final CaptureBuffer buffer;
    private final CaptureInputRules rules;
    private final Clock clock;
    private final ThrottledLog log;
    private final ProductImages images;

    /** Without product images (lines are captured with no image URL). */
    public OrderEventCapture(CaptureBuffer buffer, CaptureInputRules rules, Clock clock, ThrottledLog log) {
        this(buffer, rules, clock, log, null);
    }

    /** @param images the email image of each line's product, or null for none */
    public OrderEventCapture(CaptureBuffer buffer, CaptureInputRules rules, Clock clock, ThrottledLog log,
                             ProductImages images) {
        this.buffer = buffer;
        this.rules = rules;
        this.clock = clock;
        this.log = log;
        this.images = images;
    }

    @Override
    public void onApplicationEvent(OrderPersistedEvent event) {
        Order order = event.getOrder();
        if (order == null || order.getId() == null || order.getName() != null) {
            return; // named orders are wishlists, not carts
        }
        try {
            buffer.offer(observe(order));
        } catch (RuntimeException e) {
            log.warn("capture-observe:" + e.getClass().getName(), "Cart Recovery could not read cart " + order.getId()
                    + " from Broadleaf's order event; reconciliation will pick it up", e);
        }
    }

    /** Copies what the plugin needs out of a Broadleaf order (within an open session), made storable. */
    CartObservation observe(Order order) {
        return observe(order, false);
    }

    /**
     * @param loadPhones true where loading is fine (reconciliation's own transaction): read the order's addresses and
     *                   the customer's phones even when Broadleaf has not loaded them yet; false on the shopper's
     *                   thread, where only what the request already loaded is read ({@link BroadleafPhones})
     */
    CartObservation observe(Order order, boolean loadPhones) {
        CartObservation.OrderState state = OrderStatus.SUBMITTED.equals(order.getStatus())
                ? CartObservation.OrderState.SUBMITTED
                : CartObservation.OrderState.OPEN;
        List<CartItemSnapshot> items = new ArrayList<CartItemSnapshot>();
        for (OrderItem item : order.getOrderItems()) {
            items.add(snapshot(item));
        }
        return rules.clean(new CartObservation(order.getId(),
                order.getCustomer() == null ? null : order.getCustomer().getId(),
                order.getEmailAddress(),
                order.getLocale() == null ? null : order.getLocale().getLocaleCode(),
                order.getCurrency() == null ? null : order.getCurrency().getCurrencyCode(),
                null,
                state,
                order.getItemCount(),
                amount(order.getSubTotal()),
                amount(order.getTotal()),
                items,
                clock.instant(),
                ShopperRequest.clientIp(),
                ShopperRequest.userAgent(),
                ShopperRequest.origin())
                .withPhone(rules.choosePhone(BroadleafPhones.of(order, loadPhones, log),
                        order.getLocale() == null ? null : order.getLocale().getLocaleCode())));
    }

    private CartItemSnapshot snapshot(OrderItem item) {
        Long skuId = null;
        Long productId = null;
        String productUrl = null;
        String imageUrl = null;
        if (item instanceof DiscreteOrderItem) {
            Sku sku = ((DiscreteOrderItem) item).getSku();
            Product product = ((DiscreteOrderItem) item).getProduct();
            skuId = sku == null ? null : sku.getId();
            productId = product == null ? null : product.getId();
            productUrl = product == null ? null : product.getUrl();
            imageUrl = images == null ? null : images.imageUrl(sku, product);
        }
        return new CartItemSnapshot(skuId, productId, item.getName(), null, options(item),
                item.getQuantity(), amount(item.getAveragePrice()), imageUrl, productUrl);
    }

    /** The shopper's choices ("Colour: Red, Size: M") from the line's attributes; null when it has none. */
    static String options(OrderItem item) {
        Map<String, OrderItemAttribute> attributes;
        try {
            attributes = item.getOrderItemAttributes();
        } catch (RuntimeException notLoadable) { // e.g. Hibernate's LazyInitializationException outside a session
            return null;
        }
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        StringBuilder options = new StringBuilder();
        for (Map.Entry<String, OrderItemAttribute> attribute : new TreeMap<String, OrderItemAttribute>(attributes).entrySet()) {
            String value = attribute.getValue() == null ? null : attribute.getValue().getValue();
            if (value == null || value.trim().isEmpty()) {
                continue;
            }
            options.append(options.length() == 0 ? "" : ", ").append(attribute.getKey()).append(": ").append(value.trim());
        }
        return options.length() == 0 ? null : options.toString();
    }

    private static BigDecimal amount(Money money) {
        return money == null ? null : money.getAmount();
    }
}
