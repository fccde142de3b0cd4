package io.github.cartrecovery.site.guestemail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import io.github.cartrecovery.site.web.CaptureRequest;
import io.github.cartrecovery.site.web.CaptureRequestReader;
import io.github.cartrecovery.site.web.RejectedRequest;

class CaptureRequestReaderTest {

    private final CaptureRequestReader reader = new CaptureRequestReader(64);

    @Test
    void readsEmailAndConsentFromJson() throws IOException {
        CaptureRequest sent = CaptureRequestReader.readJson(bytes("{\"email\":\"jane@example.com\",\"consent\":true,\"extra\":[1]}"));
        assertThat(sent.email()).isEqualTo("jane@example.com");
        assertThat(sent.consent()).isTrue();
    }

    @Test
    void readsThePhoneAndItsOwnSmsConsentFromJson() throws IOException {
        CaptureRequest sent = CaptureRequestReader.readJson(bytes("{\"phone\":\"+44 7400 123456\",\"smsConsent\":false}"));
        assertThat(sent.phone()).isEqualTo("+44 7400 123456");
        assertThat(sent.smsConsent()).isFalse();
        assertThat(sent.consent()).as("email consent is another field").isNull();
        assertThat(sent.hasPhonePart()).isTrue();
        assertThat(sent.hasEmailPart()).isFalse();
    }

    @Test
    void readsThePhoneAndItsOwnSmsConsentFromAForm() throws IOException {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/cart-recovery/email");
        request.setContentType("application/x-www-form-urlencoded");
        request.addParameter("email", "jane@example.com");
        request.addParameter("phone", "07400 123456");
        request.addParameter("smsConsent", "on");
        CaptureRequest sent = reader.read(request);
        assertThat(sent.phone()).isEqualTo("07400 123456");
        assertThat(sent.smsConsent()).isTrue();
        assertThat(sent.consent()).isNull();
    }

    @Test
    void refusesAPhoneGivenTwice() {
        assertRejected(() -> CaptureRequestReader.readJson(bytes("{\"phone\":\"+447400123456\",\"phone\":\"+447400654321\"}")),
                400, "phone", "single");
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/cart-recovery/email");
        request.setContentType("application/x-www-form-urlencoded");
        request.addParameter("phone", new String[] {"+447400123456", "+447400654321"});
        assertRejected(() -> reader.read(request), 400, "phone", "single");
    }

    @Test
    void absentConsentStaysUnsaid() throws IOException {
        assertThat(CaptureRequestReader.readJson(bytes("{\"email\":\"jane@example.com\"}")).consent()).isNull();
    }

    @Test
    void refusesTrailingGarbageAfterTheObject() {
        assertRejected(() -> CaptureRequestReader.readJson(bytes("{\"email\":\"a@example.com\"} x")), 400, "body", "json");
    }

    @Test
    void refusesABodyThatIsNotUtf8() {
        // an encoded surrogate (ED A0 80), which Jackson 1.9 decodes into a character instead of failing
        byte[] surrogate = {'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', 'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80,
            '@', 'x', '.', 'c', 'o', 'm', '"', '}'};
        assertRejected(() -> CaptureRequestReader.readJson(surrogate), 400, "body", "utf8");
        byte[] invalidStart = {'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xFF, '@', 'x', '.', 'c', 'o', 'm', '"', '}'};
        assertRejected(() -> CaptureRequestReader.readJson(invalidStart), 400, "body", "utf8");
    }

    @Test
    void refusesAnEmailGivenTwice() {
        assertRejected(() -> CaptureRequestReader.readJson(bytes("{\"email\":\"a@example.com\",\"email\":\"b@example.com\"}")),
                400, "email", "single");
    }

    @Test
    void refusesADeclaredLengthOverTheLimitFromTheHeadersAlone() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/cart-recovery/email");
        request.setContentType("application/json");
        request.setContent(new byte[65]);
        assertRejected(() -> reader.checkHeaders(request), 413, "body", "max_bytes");
    }

    @Test
    void refusesADeclaredLengthBeyondAnIntFromTheHeadersAlone() {
        // getContentLength() is an int: -1 for 99999999999
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/cart-recovery/email");
        request.setContentType("application/json");
        request.addHeader("Content-Length", "99999999999");
        request.setContent("{}".getBytes(StandardCharsets.UTF_8));
        assertRejected(() -> reader.checkHeaders(request), 413, "body", "max_bytes");
    }

    @Test
    void aBodyEndingBeforeItsDeclaredLengthIsABadRequest() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/cart-recovery/email") {
            @Override
            public javax.servlet.ServletInputStream getInputStream() {
                return new javax.servlet.ServletInputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new java.io.EOFException("Early EOF");
                    }
                };
            }
        };
        request.setContentType("application/json");
        assertRejected(() -> reader.read(request), 400, "body", "complete");
    }

    @Test
    void stopsReadingAStreamOfUnknownLengthOnceItPassesTheLimit() {
        CountingEndlessStream endless = new CountingEndlessStream();
        assertRejected(() -> CaptureRequestReader.readAtMost(endless, 64), 413, "body", "max_bytes");
        assertThat(endless.served).as("bytes read from an endless body").isEqualTo(65);
    }

    @Test
    void readsABodyOfExactlyTheLimit() throws IOException {
        assertThat(CaptureRequestReader.readAtMost(new ByteArrayInputStream(new byte[64]), 64)).hasSize(64);
    }

    @Test
    void readsAnUntickedFormCheckboxAsUnsaid() throws IOException {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/cart-recovery/email");
        request.setContentType("application/x-www-form-urlencoded");
        request.addParameter("email", "jane@example.com");
        assertThat(reader.read(request).consent()).isNull();
        request.addParameter("consent", "on");
        assertThat(reader.read(request).consent()).isTrue();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRejected(ThrowingCall call, int status, String field, String rule) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RejectedRequest.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.rule()).isEqualTo(rule);
        });
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static final class CountingEndlessStream extends InputStream {
        int served;

        @Override
        public int read() {
            served++;
            return 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            for (int i = 0; i < length; i++) {
                buffer[offset + i] = 'x';
            }
            served += length;
            return length;
        }
    }
}
