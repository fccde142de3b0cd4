package io.github.cartrecovery.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CouponCodesTest {

    @Test
    void codesAreThePrefixAndTwelveUnambiguousCharactersInGroupsOfFour() {
        String code = new CouponCodes("CR").next();
        assertThat(code).matches("CR-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}");
        assertThat(new CouponCodes("").next()).matches("[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}");
    }

    @Test
    void tenThousandCodesAreAllDifferent() {
        CouponCodes codes = new CouponCodes("CR");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(codes.next());
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void rejectsAPrefixAShopperCouldNotType() {
        assertThatThrownBy(() -> new CouponCodes("cr-<b>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cartrecovery.coupons.code-prefix");
    }
}
