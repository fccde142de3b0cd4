package io.github.cartrecovery.rendering;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.cartrecovery.coupon.IssuedCoupon;

/**
 * The merge values operator text may use ({@link MergeText}), made from one message's {@link EmailModel} and the
 * store's {@link EmailLayout}: strings, and {@code items} as a list of maps. A value that is not there (no first name,
 * no coupon) is null, so {@code {{^first_name}}...{{/first_name}}} shows its fallback. Only this map reaches the text.
 */
public final class MergeFields {

    public static final String ITEMS = "items";
    /** The top-level fields, in the order the editor lists them. */
    public static final Set<String> NAMES = Collections.unmodifiableSet(new LinkedHashSet<String>(Arrays.asList(
            "first_name", "store_name", "item_count", "total", ITEMS, "coupon_code", "coupon_discount", "coupon_expires",
            "restore_link")));
    /** The fields of one item, inside {@code {{#items}}...{{/items}}}. */
    public static final Set<String> ITEM_NAMES = Collections.unmodifiableSet(new LinkedHashSet<String>(Arrays.asList(
            "name", "quantity", "price", "options")));

    private MergeFields() {
    }

    public static Map<String, Object> of(EmailModel model, EmailLayout layout) {
        RecoveryCart cart = model.getCart();
        Locale locale = EmailRenderer.locale(cart.getLocaleCode());
        Map<String, Object> values = new HashMap<String, Object>();
        String firstName = cart.getFirstName();
        values.put("first_name", firstName == null || firstName.trim().isEmpty() ? null : firstName.trim());
        values.put("store_name", layout.getStoreName());
        values.put("item_count", String.valueOf(cart.itemQuantity()));
        values.put("total", EmailRenderer.money(cart.total(), cart.getCurrencyCode(), locale));
        List<Map<String, Object>> items = new ArrayList<Map<String, Object>>();
        for (CartLine line : cart.getLines()) {
            Map<String, Object> item = new HashMap<String, Object>();
            item.put("name", line.getName());
            item.put("quantity", String.valueOf(line.getQuantity()));
            item.put("price", EmailRenderer.money(line.getUnitPrice(), cart.getCurrencyCode(), locale));
            item.put("options", line.getOptions());
            items.add(item);
        }
        values.put(ITEMS, items.isEmpty() ? null : items);
        IssuedCoupon coupon = model.getCoupon();
        values.put("coupon_code", coupon == null ? null : coupon.getCode());
        values.put("coupon_discount", coupon == null ? null : coupon.getDiscount());
        values.put("coupon_expires", coupon == null ? null : coupon.getExpires());
        values.put("restore_link", model.getRestoreUrl());
        return values;
    }
}
