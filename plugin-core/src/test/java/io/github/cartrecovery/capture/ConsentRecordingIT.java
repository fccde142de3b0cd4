package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Collections;

import javax.annotation.Resource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/** Consent statements from guest email capture, written by the buffer on the selected database. */
@BroadleafWithPlugin
class ConsentRecordingIT {

    @Resource(name = "crCaptureBuffer")
    CaptureBuffer captureBuffer;

    @Resource(name = "crCapturedCartStore")
    CapturedCartStore capturedCarts;

    @Test
    void consentIsWrittenOnTheCapturedCartWithItsObservation(PluginContext broadleaf) {
        Order cart = broadleaf.store().cartWithEmail("jane@example.com");
        captureBuffer.offerConsent(new ConsentObservation(cart.getId(), MarketingConsent.GRANTED, broadleaf.clock().instant()));

        captureBuffer.flush();

        CapturedCart captured = capturedCarts.find(cart.getId());
        assertThat(captured.getEmail()).isEqualTo("jane@example.com");
        assertThat(captured.getMarketingConsent()).isEqualTo(MarketingConsent.GRANTED);
    }

    @Test
    void theLatestStatementWins(PluginContext broadleaf) {
        Order cart = broadleaf.store().cartWithEmail("jane@example.com");
        Instant now = broadleaf.clock().instant();
        captureBuffer.offerConsent(new ConsentObservation(cart.getId(), MarketingConsent.DENIED, now.plusSeconds(1)));
        captureBuffer.offerConsent(new ConsentObservation(cart.getId(), MarketingConsent.GRANTED, now));

        captureBuffer.flush();

        assertThat(capturedCarts.find(cart.getId()).getMarketingConsent()).isEqualTo(MarketingConsent.DENIED);
    }

    @Test
    void consentForACartNotYetCapturedStartsItsRecord(PluginContext broadleaf) {
        long orderId = 880_000_001L;
        capturedCarts.record(Collections.<CartObservation>emptyList(),
                Collections.singletonList(new ConsentObservation(orderId, MarketingConsent.DENIED, broadleaf.clock().instant())));

        CapturedCart captured = capturedCarts.find(orderId);
        assertThat(captured).isNotNull();
        assertThat(captured.getMarketingConsent()).isEqualTo(MarketingConsent.DENIED);
        assertThat(captured.getStatus()).isEqualTo(CartStatus.ACTIVE);
    }
}
