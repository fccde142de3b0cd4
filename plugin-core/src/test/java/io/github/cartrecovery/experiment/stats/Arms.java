package io.github.cartrecovery.experiment.stats;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cartrecovery.experiment.ArmCounts;
import io.github.cartrecovery.experiment.ArmKind;

/** Builds the {@link ArmCounts} the tests analyse. */
final class Arms {

    private final long id;
    private final String key;
    private final ArmKind kind;
    private String name;
    private long eligible;
    private long converted;
    private long recovered;
    private long messages;
    private final Map<String, ArmCounts.Revenue> revenue = new LinkedHashMap<>();

    private Arms(long id, String key, ArmKind kind) {
        this.id = id;
        this.key = key;
        this.kind = kind;
        this.name = kind == ArmKind.VARIANT ? "Variant " + key : kind.name().toLowerCase();
    }

    static Arms holdout(long id) {
        return new Arms(id, "holdout", ArmKind.HOLDOUT);
    }

    static Arms control(long id) {
        return new Arms(id, "control", ArmKind.CONTROL);
    }

    static Arms variant(long id, String key) {
        return new Arms(id, key, ArmKind.VARIANT);
    }

    Arms named(String name) {
        this.name = name;
        return this;
    }

    /** {@code converted} of {@code eligible} carts bought; half the converted carts count as message-recovered. */
    Arms carts(long eligible, long converted) {
        this.eligible = eligible;
        this.converted = converted;
        this.recovered = kind == ArmKind.HOLDOUT ? 0 : converted / 2;
        this.messages = kind == ArmKind.HOLDOUT ? 0 : eligible * 2;
        return this;
    }

    /** Orders in a currency, all of the same total. */
    Arms orders(String currency, long orders, String total) {
        BigDecimal each = new BigDecimal(total);
        BigDecimal n = BigDecimal.valueOf(orders);
        revenue.put(currency, new ArmCounts.Revenue(orders, each.multiply(n), each.multiply(each).multiply(n)));
        return this;
    }

    ArmCounts build() {
        return new ArmCounts(id, key, name, kind, eligible, messages, messages / 2, messages / 4, converted, recovered,
                revenue);
    }
}
