package io.github.cartrecovery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.codehaus.jackson.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.channel.Addressee;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelMessage;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.rendering.RecoveryCartReader;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/** The webhook channel as the plugin's patch file declares it, building the document of a cart Broadleaf captured. */
@BroadleafWithPlugin
class WebhookChannelIT {

    @Test
    void theDocumentOfACapturedCartNamesItsSkuAndProduct(PluginContext broadleaf) throws Exception {
        Product mug = broadleaf.store().product("Enamel \"Camp\" Mug", "12.50");
        Order order = broadleaf.store().cartWithEmail("webhook-doc@example.com");
        order = broadleaf.store().add(order, mug, 2);
        broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
        JdbcTemplate jdbc = new JdbcTemplate(broadleaf.bean("crDataSource", DataSource.class));
        RecoveryCart cart = broadleaf.bean("crRecoveryCartReader", RecoveryCartReader.class).read(jdbc, order.getId());

        @SuppressWarnings("unchecked")
        Channel<WebhookRequest> channel = broadleaf.bean("crWebhookChannel", Channel.class);
        ChannelMessage message = new ChannelMessage(77, order.getId(), 1, "<cr.77.x@test>", Recipient.to("https://hooks.test/in"),
                "webhook-doc@example.com", "gentle-reminder", "Your cart", cart, TestMessages.links(77), null);
        JsonNode doc = WebhookDocumentTest.parse(channel.build(message));

        assertThat(channel.name()).isEqualTo("WEBHOOK");
        assertThat(doc.get("orderId").getLongValue()).isEqualTo(order.getId());
        assertThat(doc.get("cart").get("currency").getTextValue()).isEqualTo(cart.getCurrencyCode());
        JsonNode item = doc.get("cart").get("items").get(0);
        assertThat(item.get("name").getTextValue()).isEqualTo("Enamel \"Camp\" Mug");
        assertThat(item.get("skuId").getLongValue()).isEqualTo(mug.getDefaultSku().getId());
        assertThat(item.get("productId").getLongValue()).isEqualTo(mug.getId());
        assertThat(item.get("unitPrice").getTextValue()).isEqualTo("12.50");
        assertThat(item.get("lineTotal").getTextValue()).isEqualTo("25.00");
        assertThat(doc.get("cart").get("subtotal").getTextValue()).isEqualTo("25.00");
        // the default: personal data included, so a receiver can reach the shopper
        assertThat(doc.get("shopper").get("email").getTextValue()).isEqualTo("webhook-doc@example.com");
    }

    @Test
    void withTheDefaultEmptyUrlWebhookMessagesAreSkipped(PluginContext broadleaf) {
        @SuppressWarnings("unchecked")
        Channel<WebhookRequest> channel = broadleaf.bean("crWebhookChannel", Channel.class);
        Map<Long, Recipient> recipients = channel.recipients(null, List.of(new Addressee(1, 2, "a@example.com", "en")),
                broadleaf.clock().instant());
        assertThat(recipients.get(1L).getSkipReason()).isEqualTo(Recipient.NO_ADDRESS);
    }

    @Test
    void broadleafDoesNotStartWithAWebhookUrlButNoSecret(PluginContext broadleaf) {
        Map<String, String> properties = Map.of("cartrecovery.webhook.url", "https://hooks.example.com/in",
                "cartrecovery.webhook.secret", "");
        assertThatThrownBy(() -> broadleaf.bootAnotherStore(Collections.singletonList("bl-cartrecovery-applicationContext.xml"),
                properties).close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cartrecovery.webhook.secret is not set, but cartrecovery.webhook.url is");
    }
}
