package io.github.cartrecovery.delivery;

import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.RecoveryCart;

/**
 * The exit rules of a price-drop or back-in-stock alert at send time, on the cart as it is about to be rendered
 * (lines still sold and in stock, at today's prices): the alert's item must still be sold and in stock
 * ({@link ExitReason#ITEM_UNAVAILABLE}), and a price drop must still be one ({@link ExitReason#PRICE_NO_LONGER_LOWER}).
 * A cart's sequence (no trigger SKU) is never stopped here. Stateless.
 */
final class TriggeredItem {

    private TriggeredItem() {
    }

    /** Why the message must not go, or null. */
    static ExitReason exit(PlannedMessageRow row, RecoveryCart cart) {
        if (row.getTriggerSkuId() == null) {
            return null;
        }
        CartLine line = null;
        for (CartLine candidate : cart.getLines()) {
            if (row.getTriggerSkuId().equals(candidate.getSkuId())) {
                line = candidate;
                break;
            }
        }
        if (line == null) {
            return ExitReason.ITEM_UNAVAILABLE;
        }
        if ("PRICE_DROP".equals(row.getTriggerType()) && !line.isPriceDrop()) {
            return ExitReason.PRICE_NO_LONGER_LOWER;
        }
        return null;
    }
}
