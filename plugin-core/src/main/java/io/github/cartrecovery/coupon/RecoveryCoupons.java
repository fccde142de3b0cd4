package io.github.cartrecovery.coupon;

import org.broadleafcommerce.core.order.domain.Order;

/**
 * The unique coupon a recovery message may carry. Delivery asks for a code when it sends a step whose
 * coupon policy grants one; the restore landing applies the message's code to the cart it restores.
 * Bean id {@code crRecoveryCoupons}.
 */
public interface RecoveryCoupons {

    /**
     * The code issued for this planned message if it is still usable now (not expired, not used, its
     * cart not purchased); null when the message carries none.
     */
    String validCodeFor(long plannedMessageId);

    /**
     * Applies the message's code to the cart through Broadleaf's OrderService. Harmless when there is no
     * code, it is expired or used, or it is already on the cart.
     *
     * @return true when the cart carries the code afterwards
     */
    boolean applyTo(Order cart, long plannedMessageId);
}
