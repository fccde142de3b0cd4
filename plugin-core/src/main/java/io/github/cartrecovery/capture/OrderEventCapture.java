package io.github.cartrecovery.capture;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.order.domain.DiscreteOrderItem;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.domain.OrderItem;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.broadleafcommerce.core.order.domain.OrderPersistedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Host edge: turns Broadleaf's {@link OrderPersistedEvent} (published after every committed change to an
 * order: add, update, remove, merge, checkout email, submit) into a {@link CartObservation} and hands it
 * to the {@link CaptureBuffer}. Runs on the shopper's thread, so it only copies values: no database
 * work of its own. Fires several times per request; the buffer coalesces them.
 */
public class OrderEventCapture implements ApplicationListener<OrderPersistedEvent> {

    private final CaptureBuffer buffer;
    private final Clock clock;

    public OrderEventCapture(CaptureBuffer buffer, Clock clock) {
        this.buffer = buffer;
        this.clock = clock;
    }

    @Override
    public void onApplicationEvent(OrderPersistedEvent event) {
        Order order = event.getOrder();
        if (order == null || order.getId() == null || order.getName() != null) {
            return; // named orders are wishlists, not carts
        }
        buffer.offer(observe(order));
    }

    /** Copies what the plugin needs out of a Broadleaf order (within an open session). */
    CartObservation observe(Order order) {
        CartObservation.OrderState state = OrderStatus.SUBMITTED.equals(order.getStatus())
                ? CartObservation.OrderState.SUBMITTED
                : CartObservation.OrderState.OPEN;
        List<CartItemSnapshot> items = new ArrayList<CartItemSnapshot>();
        for (OrderItem item : order.getOrderItems()) {
            items.add(snapshot(item));
        }
        return new CartObservation(order.getId(),
                order.getCustomer() == null ? null : order.getCustomer().getId(),
                emptyToNull(order.getEmailAddress()),
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
                ShopperRequest.origin());
    }

    private static CartItemSnapshot snapshot(OrderItem item) {
        Long skuId = null;
        Long productId = null;
        String productUrl = null;
        if (item instanceof DiscreteOrderItem) {
            Sku sku = ((DiscreteOrderItem) item).getSku();
            Product product = ((DiscreteOrderItem) item).getProduct();
            skuId = sku == null ? null : sku.getId();
            productId = product == null ? null : product.getId();
            productUrl = product == null ? null : product.getUrl();
        }
        return new CartItemSnapshot(skuId, productId, truncate(item.getName(), 255), null, null,
                item.getQuantity(), amount(item.getAveragePrice()), null, truncate(productUrl, 1024));
    }

    private static BigDecimal amount(Money money) {
        return money == null ? null : money.getAmount();
    }

    private static String emptyToNull(String value) {
        return value == null || value.trim().isEmpty() ? null : value.trim();
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
