package io.github.cartrecovery.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.StaticApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.channel.Addressee;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelMessage;
import io.github.cartrecovery.channel.Recipient;

class StoreChannelsTest {

    @Test
    void theConfiguredListWhileTheContextHasNoChannelBean() {
        StoreChannels channels = new StoreChannels(" email, Sms ,");
        channels.setApplicationContext(new StaticApplicationContext());

        assertThat(channels).containsExactly("EMAIL", "SMS");
        assertThat(new StoreChannels("")).containsExactly("EMAIL", "SMS", "WEBHOOK");
    }

    @Test
    void theChannelBeansNamesOnceThereAreAny() {
        StaticApplicationContext context = new StaticApplicationContext();
        context.registerSingleton("pushChannel", PushChannel.class);
        context.refresh();
        StoreChannels channels = new StoreChannels("EMAIL,SMS,WEBHOOK");
        channels.setApplicationContext(context);

        assertThat(channels).containsExactly("PUSH");
        assertThat(new CampaignValidator(null, null, channels).problems(new Campaign(null, "p", CampaignStatus.ENABLED, 1,
                Instant.EPOCH).addStep(new CampaignStep(null, 1, 0, "t", java.util.Collections.<String, String>emptyMap())
                .withChannel("PUSH")))).isEmpty();
    }

    @Test
    void refusesAConfiguredNameNoChannelCouldHave() {
        assertThatThrownBy(() -> new StoreChannels("EMAIL,text message"))
                .hasMessageContaining("cartrecovery.campaigns.channels: 'text message' is no channel name");
    }

    /** A store's own channel. */
    public static final class PushChannel implements Channel<String> {
        @Override public String name() { return "PUSH"; }
        @Override public Map<Long, Recipient> recipients(JdbcTemplate jdbc, List<Addressee> addressees, Instant now) { return null; }
        @Override public String build(ChannelMessage message) { return null; }
        @Override public Sender<String> open() { return null; }
        @Override public void closeIdle() { }
    }
}
