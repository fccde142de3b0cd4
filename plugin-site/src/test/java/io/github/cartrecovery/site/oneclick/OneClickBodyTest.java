package io.github.cartrecovery.site.oneclick;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;

import io.github.cartrecovery.site.web.OneClickBody;

/** RFC 8058 one-click bodies: multipart/form-data read by a linear scan, whatever the body holds. */
class OneClickBodyTest {

    private static final String PART = "Content-Disposition: form-data; name=\"List-Unsubscribe\"\r\n";

    @ParameterizedTest
    @ValueSource(ints = {1 << 20, 10 << 20})
    void aLongBodyOfHeaderLinesIsNoOneClickAndExhaustsNothing(int size) throws Exception {
        StringBuilder body = new StringBuilder("--XyZ\r\n").append(PART);
        while (body.length() < size) {
            body.append("a\n"); // each line one more turn of the old pattern's recursive group
        }

        boolean oneClick = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> OneClickBody.isOneClick(multipart(body.toString())));

        assertThat(oneClick).isFalse();
    }

    @Test
    void theScanItselfIsLinearBeyondTheReadLimit() {
        StringBuilder body = new StringBuilder("--XyZ\r\n").append(PART);
        while (body.length() < 10 << 20) {
            body.append("a\n");
        }
        body.append("\r\nOne-Click\r\n--XyZ--\r\n");

        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> OneClickBody.multipartSaysOneClick(body.toString()))).isTrue();
    }

    @Test
    void theOneClickPartIsFoundAfterOtherPartsAndHeaders() throws Exception {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nvalue\r\n"
                + "--XyZ\r\n" + PART + "Content-Type: text/plain\r\n\r\nOne-Click\r\n--XyZ--\r\n";

        assertThat(OneClickBody.isOneClick(multipart(body))).isTrue();
    }

    @Test
    void bareLineFeedsAndAnUnquotedNameAreAcceptedToo() throws Exception {
        assertThat(OneClickBody.isOneClick(multipart(
                "--XyZ\nContent-Disposition: form-data; name=List-Unsubscribe\n\nOne-Click\n--XyZ--\n"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nTwo-Click\r\n--XyZ--\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe-Post\"\r\n\r\nOne-Click\r\n--XyZ--\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nOne-Click\r\n--XyZ--\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click",
        "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n",
        ""})
    void anythingElseIsNoOneClick(String body) throws Exception {
        assertThat(OneClickBody.isOneClick(multipart(body))).isFalse();
    }

    private static MockHttpServletRequest multipart(String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/cart-recovery/unsubscribe/token");
        request.setContentType("multipart/form-data; boundary=XyZ");
        request.setContent(body.getBytes(StandardCharsets.ISO_8859_1));
        return request;
    }
}
