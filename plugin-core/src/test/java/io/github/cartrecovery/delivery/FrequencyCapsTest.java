package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;

import org.junit.jupiter.api.Test;

/** Caps per channel and across channels, as a chunk's messages are checked one after the other. */
class FrequencyCapsTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    private static FrequencyCaps.Counts nothingSentYet(FrequencyCaps caps) {
        return caps.count(null, Collections.<String>emptySet(), NOW); // no address to look up: no statement
    }

    @Test
    void aChannelsCapHoldsThatChannelOnlyAndTheAllChannelsCapCountsEveryChannel() {
        FrequencyCaps caps = new FrequencyCaps(new FrequencyCap(null, 3, 168),
                Arrays.asList(new FrequencyCap("SMS", 1, 24), new FrequencyCap("webhook", 0, 24)));
        FrequencyCaps.Counts counts = nothingSentYet(caps);

        assertThat(counts.check("a@example.com", "SMS")).isNull();
        assertThat(counts.check("a@example.com", "SMS")).hasToString("CHANNEL_FREQUENCY_CAP: SMS: 1 message in 24 h");
        assertThat(counts.check("b@example.com", "SMS")).as("another shopper").isNull();
        assertThat(counts.check("a@example.com", "EMAIL")).isNull();
        assertThat(counts.check("a@example.com", "WEBHOOK")).as("0 = no cap of its own").isNull();
        assertThat(counts.check("a@example.com", "EMAIL")).hasToString("FREQUENCY_CAP: all channels: 3 messages in 168 h");
    }

    @Test
    void aMessageACapStopsDoesNotCount() {
        FrequencyCaps caps = new FrequencyCaps(new FrequencyCap(null, 2, 168), Collections.singletonList(new FrequencyCap("SMS", 1, 24)));
        FrequencyCaps.Counts counts = nothingSentYet(caps);

        counts.check("a@example.com", "SMS");
        assertThat(counts.check("a@example.com", "SMS")).isNotNull();
        assertThat(counts.check("a@example.com", "EMAIL")).as("the stopped SMS was not counted").isNull();
    }

    @Test
    void aShoppersMessagesOfEveryTriggerCountTogetherByDefault() {
        FrequencyCaps caps = new FrequencyCaps(new FrequencyCap(null, 2, 168), Collections.<FrequencyCap>emptyList());
        FrequencyCaps.Counts counts = nothingSentYet(caps);

        assertThat(counts.check("a@example.com", "ABANDONED_CART", "EMAIL")).isNull();
        assertThat(counts.check("a@example.com", "PRICE_DROP", "EMAIL")).isNull();
        assertThat(counts.check("a@example.com", "BACK_IN_STOCK", "EMAIL")).hasToString("FREQUENCY_CAP: all channels: 2 messages in 168 h");
    }

    @Test
    void perTriggerCapsCountEachTriggerOnItsOwn() {
        FrequencyCaps caps = new FrequencyCaps(new FrequencyCap(null, 1, 168), Collections.<FrequencyCap>emptyList(), true);
        FrequencyCaps.Counts counts = nothingSentYet(caps);

        assertThat(counts.check("a@example.com", "ABANDONED_CART", "EMAIL")).isNull();
        assertThat(counts.check("a@example.com", "PRICE_DROP", "EMAIL")).isNull();
        assertThat(counts.check("a@example.com", "PRICE_DROP", "EMAIL")).isNotNull();
        assertThat(counts.check("a@example.com", "ABANDONED_CART", "EMAIL")).isNotNull();
    }

    @Test
    void withoutCapsNothingIsCountedOrLookedUp() {
        FrequencyCaps caps = new FrequencyCaps(new FrequencyCap(null, 0, 168), Collections.<FrequencyCap>emptyList());

        assertThat(caps.any()).isFalse();
        assertThat(nothingSentYet(caps).check("a@example.com", "EMAIL")).isNull();
    }

    @Test
    void badSettingsNameTheirProperty() {
        assertThatThrownBy(() -> new FrequencyCap("SMS", -1, 24))
                .hasMessage("cartrecovery.delivery.frequency-cap.sms.messages must be 0 (no cap) or more, was -1");
        assertThatThrownBy(() -> new FrequencyCap(null, 4, 0))
                .hasMessage("cartrecovery.delivery.frequency-cap.window-hours must be at least 1 with a cap, was 0");
    }
}
