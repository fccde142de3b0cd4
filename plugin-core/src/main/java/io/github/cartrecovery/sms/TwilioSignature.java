package io.github.cartrecovery.sms;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature ({@code X-Twilio-Signature}): base64 of HMAC-SHA1, keyed with the account's auth token,
 * over the full URL Twilio called (scheme, host, port, path and query) followed by every POST parameter as name and
 * value, sorted by name (then value), with no separators. As Twilio's own validators do, the URL is also tried with
 * the default port added or removed (Twilio signs the URL as configured; proxies add or drop ":443").
 * Comparison is constant-time. Thread-safe.
 */
public final class TwilioSignature {

    public static final String HEADER = "X-Twilio-Signature";

    private final byte[] authToken;

    public TwilioSignature(String authToken) {
        if (authToken == null || authToken.isEmpty()) {
            throw new IllegalArgumentException("a signature needs the account's auth token");
        }
        this.authToken = authToken.getBytes(StandardCharsets.UTF_8);
    }

    /** The signature of a request to {@code url} with these POST parameters (name -> values). */
    public String sign(String url, Map<String, List<String>> postParameters) {
        StringBuilder data = new StringBuilder(url);
        List<String> names = new ArrayList<String>(postParameters.keySet());
        Collections.sort(names);
        for (String name : names) {
            List<String> values = new ArrayList<String>(postParameters.get(name));
            Collections.sort(values);
            for (String value : values) {
                data.append(name).append(value);
            }
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available in this JVM", e);
        }
    }

    /** True when {@code signature} is Twilio's for this URL and these POST parameters. False for a missing signature. */
    public boolean verify(String url, Map<String, List<String>> postParameters, String signature) {
        if (signature == null || signature.isEmpty() || url == null) {
            return false;
        }
        byte[] given = signature.trim().getBytes(StandardCharsets.US_ASCII);
        boolean valid = false;
        for (String candidate : urlForms(url)) {
            valid |= MessageDigest.isEqual(sign(candidate, postParameters).getBytes(StandardCharsets.US_ASCII), given);
        }
        return valid;
    }

    /** The URL as given, with the scheme's default port added and removed. */
    static Set<String> urlForms(String url) {
        Set<String> forms = new LinkedHashSet<String>();
        forms.add(url);
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return forms;
            }
            int defaultPort = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
            if (port != defaultPort) {
                return forms;
            }
            String rest = (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
            String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
            forms.add(uri.getScheme() + "://" + userInfo + uri.getHost() + rest);
            forms.add(uri.getScheme() + "://" + userInfo + uri.getHost() + ":" + defaultPort + rest);
        } catch (URISyntaxException e) {
            // the URL as given is the only form
        }
        return forms;
    }
}
