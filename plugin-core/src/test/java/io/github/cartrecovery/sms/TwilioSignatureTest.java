package io.github.cartrecovery.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TwilioSignatureTest {

    /** Twilio's documented example ("Validate incoming requests"): auth token 12345. */
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final String EXPECTED = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    private final TwilioSignature signature = new TwilioSignature("12345");

    private static Map<String, List<String>> documentedParameters() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("To", List.of("+18005551212"));
        params.put("CallSid", List.of("CA1234567890ABCDE"));
        params.put("From", List.of("+14158675309"));
        params.put("Digits", List.of("1234"));
        params.put("Caller", List.of("+14158675309"));
        return params;
    }

    @Test
    void signsTwiliosDocumentedExample() {
        assertThat(signature.sign(URL, documentedParameters())).isEqualTo(EXPECTED);
    }

    @Test
    void verifiesTwiliosDocumentedExample() {
        assertThat(signature.verify(URL, documentedParameters(), EXPECTED)).isTrue();
    }

    @Test
    void aChangedParameterUrlOrTokenFails() {
        Map<String, List<String>> changed = documentedParameters();
        changed.put("Digits", List.of("1235"));
        assertThat(signature.verify(URL, changed, EXPECTED)).isFalse();
        assertThat(signature.verify("https://mycompany.com/myapp.php?foo=1&bar=3", documentedParameters(), EXPECTED)).isFalse();
        assertThat(signature.verify("http://mycompany.com/myapp.php?foo=1&bar=2", documentedParameters(), EXPECTED)).isFalse();
        assertThat(new TwilioSignature("12346").verify(URL, documentedParameters(), EXPECTED)).isFalse();
    }

    @Test
    void aMissingOrEmptySignatureFails() {
        assertThat(signature.verify(URL, documentedParameters(), null)).isFalse();
        assertThat(signature.verify(URL, documentedParameters(), "")).isFalse();
        assertThat(signature.verify(URL, documentedParameters(), "not base64 at all")).isFalse();
    }

    @Test
    void theDefaultPortMayBeWrittenOrNot() {
        assertThat(signature.verify("https://mycompany.com:443/myapp.php?foo=1&bar=2", documentedParameters(), EXPECTED)).isTrue();
        String signedWithPort = signature.sign("https://mycompany.com:443/myapp.php?foo=1&bar=2", documentedParameters());
        assertThat(signature.verify(URL, documentedParameters(), signedWithPort)).isTrue();
        assertThat(signature.verify("https://mycompany.com:8443/myapp.php?foo=1&bar=2", documentedParameters(), EXPECTED)).isFalse();
    }

    @Test
    void repeatedParametersAreSortedByValue() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("b", List.of("2", "1"));
        params.put("a", List.of("x"));
        Map<String, List<String>> reordered = new LinkedHashMap<>();
        reordered.put("a", List.of("x"));
        reordered.put("b", List.of("1", "2"));
        assertThat(signature.sign(URL, params)).isEqualTo(signature.sign(URL, reordered))
                .isEqualTo(signature.sign(URL + "ax" + "b1" + "b2", Map.of()));
    }
}
