package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.channel.Addressee;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelMessage;
import io.github.cartrecovery.channel.Recipient;

class RenderPoolTest {

    /** Builds "built <id>"; fails the first build of the ids in {@code failOnce}, every build of those in {@code failAlways}. */
    static final class FlakyChannel implements Channel<String> {
        final List<Long> failOnce;
        final List<Long> failAlways;
        final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();

        FlakyChannel(List<Long> failOnce, List<Long> failAlways) {
            this.failOnce = failOnce;
            this.failAlways = failAlways;
        }

        @Override
        public String name() {
            return "TEST";
        }

        @Override
        public Map<Long, Recipient> recipients(JdbcTemplate jdbc, List<Addressee> addressees, Instant now) {
            throw new AssertionError("the render pool only builds messages; it never asks for recipients or a sender");
        }

        @Override
        public String build(ChannelMessage message) {
            long id = message.getPlannedMessageId();
            int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (failAlways.contains(id) || (failOnce.contains(id) && attempt == 1)) {
                throw new IllegalStateException("cannot build " + id + " (attempt " + attempt + ")");
            }
            return "built " + id;
        }

        @Override
        public Sender<String> open() {
            throw new AssertionError("the render pool only builds messages; it never asks for recipients or a sender");
        }

        @Override
        public void closeIdle() {
        }
    }

    static List<ChannelMessage> messages(int count) {
        List<ChannelMessage> messages = new ArrayList<>();
        for (long id = 1; id <= count; id++) {
            messages.add(new ChannelMessage(id, 100 + id, 1, "cr." + id, Recipient.to("shopper" + id + "@example.com"),
                    "shopper" + id + "@example.com", "gentle-reminder", "subject", null, null, null));
        }
        return messages;
    }

    @Test
    void aBuildThatFailsOnceIsTriedAgainBeforeItsMessageFails() {
        RenderPool pool = new RenderPool();
        pool.setThreads("3");
        FlakyChannel channel = new FlakyChannel(Arrays.asList(2L, 5L), Arrays.asList(4L));

        List<Object> built = pool.buildAll(channel, messages(6));

        assertThat(built.subList(0, 3)).containsExactly("built 1", "built 2", "built 3");
        assertThat(built.get(3)).isInstanceOf(IllegalStateException.class)
                .hasFieldOrPropertyWithValue("message", "cannot build 4 (attempt 2)");
        assertThat(built.subList(4, 6)).containsExactly("built 5", "built 6");
        assertThat(channel.attempts.get(2L).get()).as("one retry").isEqualTo(2);
        assertThat(channel.attempts.get(4L).get()).as("a message that always fails is tried twice, no more").isEqualTo(2);
        assertThat(channel.attempts.get(1L).get()).as("a good build is done once").isEqualTo(1);
    }
}
