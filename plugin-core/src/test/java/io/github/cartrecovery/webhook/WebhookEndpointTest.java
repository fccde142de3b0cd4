package io.github.cartrecovery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookEndpointTest {

    @Test
    void anHttpsUrlIsTheEndpoint() {
        WebhookEndpoint endpoint = WebhookEndpoint.of(" https://Hooks.Example.com/cart-recovery ", false);
        assertThat(endpoint.isConfigured()).isTrue();
        assertThat(endpoint.url().toString()).isEqualTo("https://Hooks.Example.com/cart-recovery");
        assertThat(endpoint.host()).isEqualTo("hooks.example.com");
    }

    @Test
    void anEmptyUrlSwitchesWebhooksOff() {
        assertThat(WebhookEndpoint.of("", false).isConfigured()).isFalse();
        assertThat(WebhookEndpoint.of(null, false).url()).isNull();
    }

    @Test
    void plainHttpNeedsAllowHttp() {
        assertThatThrownBy(() -> WebhookEndpoint.of("http://hooks.example.com/in", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cartrecovery.webhook.url must use https")
                .hasMessageContaining("cartrecovery.webhook.allow-http=true");
        assertThat(WebhookEndpoint.of("http://127.0.0.1:8080/webhooks/receive", true).isConfigured()).isTrue();
    }

    @Test
    void otherSchemesRelativeUrlsAndCredentialsAreRefused() {
        assertThatThrownBy(() -> WebhookEndpoint.of("ftp://hooks.example.com/in", true))
                .hasMessageContaining("must be an absolute https URL");
        assertThatThrownBy(() -> WebhookEndpoint.of("/webhooks", true)).hasMessageContaining("must be an absolute https URL");
        assertThatThrownBy(() -> WebhookEndpoint.of("https://user:pw@hooks.example.com/in", false))
                .hasMessageContaining("must not carry a user name or password");
        assertThatThrownBy(() -> WebhookEndpoint.of("https://hooks.example.com/in#x", false))
                .hasMessageContaining("must not have a fragment");
        assertThatThrownBy(() -> WebhookEndpoint.of("https://hooks example.com/in", false))
                .hasMessageContaining("is not a valid URL");
    }

    @Test
    void theQueryIsPostedToButNeverShown() {
        WebhookEndpoint endpoint = WebhookEndpoint.of("https://hooks.example.com:8443/in?token=s3cr3t", false);
        assertThat(endpoint.url().getQuery()).isEqualTo("token=s3cr3t");
        assertThat(endpoint.toString()).isEqualTo("https://hooks.example.com:8443/in");
        assertThatThrownBy(() -> WebhookEndpoint.of("http://hooks.example.com/in?token=s3cr3t", false))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t").contains("http://hooks.example.com/in?..."));
    }
}
