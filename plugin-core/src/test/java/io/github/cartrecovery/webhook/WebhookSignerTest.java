package io.github.cartrecovery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    static final String SECRET = "whsec_test_0123456789abcdef0123456789abcdef";
    static final String SECOND = "second-secret-0123456789abcdef-0123456789";
    static final byte[] BODY = "{\"messageId\":42}".getBytes(StandardCharsets.UTF_8);
    static final long T = 1_700_000_000L;

    @Test
    void signsTimestampDotBodyWithHmacSha256() {
        // the vector computed independently: python3 hmac.new(secret, b'1700000000.' + body, sha256).hexdigest()
        assertThat(new WebhookSigner(SECRET).header(T, BODY))
                .isEqualTo("t=1700000000,v1=f7116facf453893e43cbdc7a73b858e17719e5cd4a4af2eeeed8e1c3641a53e7");
    }

    @Test
    void signsWithEverySecretWhileRotatingFirstOneFirst() {
        assertThat(new WebhookSigner(" " + SECRET + " , " + SECOND + " ").header(T, BODY)).isEqualTo("t=1700000000"
                + ",v1=f7116facf453893e43cbdc7a73b858e17719e5cd4a4af2eeeed8e1c3641a53e7"
                + ",v1=4f5ec2e1531de45bed9f6d149ab7e82aca74f446d9766fecc31b5f1364b5217c");
    }

    @Test
    void aReceiverWithEitherSecretVerifiesARotatingSignature() {
        String header = new WebhookSigner(SECOND + "," + SECRET).header(T, BODY);
        assertThat(new WebhookSigner(SECRET).verify(header, BODY, T + 10, 300)).isTrue();
        assertThat(new WebhookSigner(SECOND).verify(header, BODY, T + 10, 300)).isTrue();
        assertThat(new WebhookSigner("another-secret-that-nobody-uses-0123456789").verify(header, BODY, T, 300)).isFalse();
    }

    @Test
    void verificationFailsForAChangedBody() {
        String header = new WebhookSigner(SECRET).header(T, BODY);
        assertThat(new WebhookSigner(SECRET).verify(header, "{\"messageId\":43}".getBytes(StandardCharsets.UTF_8), T, 300))
                .isFalse();
    }

    @Test
    void verificationFailsOutsideTheTimestampTolerance() {
        WebhookSigner signer = new WebhookSigner(SECRET);
        String header = signer.header(T, BODY);
        assertThat(signer.verify(header, BODY, T + 300, 300)).isTrue();
        assertThat(signer.verify(header, BODY, T + 301, 300)).isFalse();
        assertThat(signer.verify(header, BODY, T - 301, 300)).isFalse();
    }

    @Test
    void verificationFailsForAChangedTimestampOrAMalformedHeader() {
        WebhookSigner signer = new WebhookSigner(SECRET);
        String header = signer.header(T, BODY);
        assertThat(signer.verify(header.replace("t=1700000000", "t=1700000001"), BODY, T, 300)).isFalse();
        assertThat(signer.verify(header.replace("t=1700000000,", ""), BODY, T, 300)).isFalse();
        assertThat(signer.verify("t=abc,v1=00", BODY, T, 300)).isFalse();
        assertThat(signer.verify(null, BODY, T, 300)).isFalse();
    }

    @Test
    void aShortSecretStopsStartupNamingTheProperty() {
        assertThatThrownBy(() -> new WebhookSigner("too-short"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cartrecovery.webhook.secret").hasMessageContaining("at least 32");
    }

    @Test
    void moreThanTwoSecretsStopStartup() {
        assertThatThrownBy(() -> new WebhookSigner(SECRET + "," + SECOND + "," + SECRET + "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cartrecovery.webhook.secret holds 3 secrets");
    }

    @Test
    void anEmptySecretSignsNothing() {
        WebhookSigner none = new WebhookSigner(" ");
        assertThat(none.hasSecrets()).isFalse();
        assertThatThrownBy(() -> none.header(T, BODY)).hasMessageContaining("cartrecovery.webhook.secret is not set");
    }
}
