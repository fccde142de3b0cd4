package io.github.cartrecovery.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SegmentCounterTest {

    @Test
    void plainTextIsGsm7AndOneSegmentUpTo160Characters() {
        assertThat(SegmentCounter.encoding("Hello, your cart is waiting.")).isEqualTo(SegmentCounter.Encoding.GSM_7);
        assertThat(SegmentCounter.segments("a".repeat(160))).isEqualTo(1);
        assertThat(SegmentCounter.segments("a".repeat(161))).isEqualTo(2);
    }

    @Test
    void longGsm7TextIsSplitIn153SeptetSegments() {
        assertThat(SegmentCounter.segments("a".repeat(306))).isEqualTo(2);
        assertThat(SegmentCounter.segments("a".repeat(307))).isEqualTo(3);
        assertThat(SegmentCounter.segments("a".repeat(459))).isEqualTo(3);
    }

    @Test
    void theWholeDefaultAlphabetStaysGsm7() {
        assertThat(SegmentCounter.encoding(SegmentCounter.BASIC)).isEqualTo(SegmentCounter.Encoding.GSM_7);
        assertThat(SegmentCounter.encoding("Grüße aus Köln, ¿qué tal? Ça va. £5 ¥3 §2 ΔΦΓΛΩΠΨΣΘΞ")).isEqualTo(SegmentCounter.Encoding.GSM_7);
    }

    @Test
    void extensionCharactersTakeTwoSeptets() {
        assertThat(SegmentCounter.units("€5 [x] {y} ~|\\^")).isEqualTo(2 + 1 + 1 + 2 + 1 + 2 + 1 + 2 + 1 + 2 + 1 + 2 + 2 + 2 + 2);
        assertThat(SegmentCounter.encoding("€")).isEqualTo(SegmentCounter.Encoding.GSM_7);
        assertThat(SegmentCounter.segments("€".repeat(80))).isEqualTo(1);
        assertThat(SegmentCounter.segments("a" + "€".repeat(80))).isEqualTo(2);
    }

    @Test
    void anExtensionPairIsNeverSplitAcrossSegments() {
        // 152 septets, then a two-septet '€' that does not fit the 153rd: it starts the second segment
        String text = "a".repeat(152) + "€" + "a".repeat(152);
        assertThat(SegmentCounter.units(text)).isEqualTo(306);
        assertThat(SegmentCounter.segments(text)).isEqualTo(3);
    }

    @Test
    void anyOtherCharacterMakesTheTextUcs2With70And67Limits() {
        assertThat(SegmentCounter.encoding("Zoë")).isEqualTo(SegmentCounter.Encoding.UCS_2);
        assertThat(SegmentCounter.encoding("ç")).isEqualTo(SegmentCounter.Encoding.UCS_2); // only upper-case Ç is GSM-7
        assertThat(SegmentCounter.segments("ë" + "a".repeat(69))).isEqualTo(1);
        assertThat(SegmentCounter.segments("ë" + "a".repeat(70))).isEqualTo(2);
        assertThat(SegmentCounter.segments("ë" + "a".repeat(133))).isEqualTo(2);
        assertThat(SegmentCounter.segments("ë" + "a".repeat(134))).isEqualTo(3);
    }

    @Test
    void anEmojiCountsTwoUnitsAndIsNeverSplit() {
        String emoji = "\uD83D\uDED2"; // shopping cart
        assertThat(SegmentCounter.units(emoji)).isEqualTo(2);
        assertThat(SegmentCounter.segments(emoji + "a".repeat(68))).isEqualTo(1);
        // 66 units, then a pair that does not fit the 67th unit: it starts the second segment
        String text = "a".repeat(66) + emoji + "a".repeat(66);
        assertThat(SegmentCounter.segments(text)).isEqualTo(3);
    }

    @Test
    void anEmptyTextTakesOneSegment() {
        assertThat(SegmentCounter.segments("")).isEqualTo(1);
    }
}
