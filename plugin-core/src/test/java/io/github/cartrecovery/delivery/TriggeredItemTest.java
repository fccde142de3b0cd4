package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.RecoveryCart;

/** The send-time exits of price-drop and back-in-stock alerts, on the cart as it is about to be rendered. */
class TriggeredItemTest {

    private static PlannedMessageRow message(String trigger, Long skuId) {
        return new PlannedMessageRow(1, 2, 3, 4, "a@example.com", "en", 0, Instant.EPOCH, null, null, null, trigger, skuId);
    }

    private static RecoveryCart cartWith(long skuId, String price, String priceWhenAdded) {
        return new RecoveryCart("Ann", "en", "USD", Collections.singletonList(new CartLine("Tray", 1, new BigDecimal(price),
                new BigDecimal(priceWhenAdded), null, null, null, skuId, 9L)));
    }

    @Test
    void aPriceDropAlertGoesWhileTheItemIsSoldAndStillCheaper() {
        assertThat(TriggeredItem.exit(message("PRICE_DROP", 7L), cartWith(7, "30", "40"))).isNull();
    }

    @Test
    void aPriceDropAlertStopsWhenThePriceIsBackUp() {
        assertThat(TriggeredItem.exit(message("PRICE_DROP", 7L), cartWith(7, "40", "40")))
                .isEqualTo(ExitReason.PRICE_NO_LONGER_LOWER);
    }

    @Test
    void anAlertStopsWhenItsItemIsNotAmongTheLinesStillSoldAndInStock() {
        assertThat(TriggeredItem.exit(message("BACK_IN_STOCK", 8L), cartWith(7, "40", "40")))
                .isEqualTo(ExitReason.ITEM_UNAVAILABLE);
    }

    @Test
    void aBackInStockAlertDoesNotNeedALowerPrice() {
        assertThat(TriggeredItem.exit(message("BACK_IN_STOCK", 7L), cartWith(7, "45", "40"))).isNull();
    }

    @Test
    void aCartsSequenceIsNeverStoppedHere() {
        assertThat(TriggeredItem.exit(message("ABANDONED_CART", null), cartWith(7, "45", "40"))).isNull();
    }
}
