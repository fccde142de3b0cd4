package io.github.cartrecovery.sms;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * The SMS provider account ({@code cartrecovery.sms.*}, bean {@code crTwilioAccount}): whether SMS is on, the API's
 * base URL, the account SID and auth token, and the sender. When SMS is on, every setting is checked at startup and a
 * bad one stops the application with a message naming it; when it is off they are not read at all. The auth token
 * never appears in {@link #toString()}. Immutable.
 */
public final class TwilioAccount {

    private static final Pattern ACCOUNT_SID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SENDER = Pattern.compile(
            "\\+[1-9][0-9]{1,14}|MG[A-Za-z0-9]{1,62}|(?=[A-Za-z0-9 ]{1,11}$)[0-9 ]*[A-Za-z][A-Za-z0-9 ]*");

    private final boolean enabled;
    private final String baseUrl;
    private final String accountSid;
    private final String authToken;
    private final String from;

    public TwilioAccount(boolean enabled, String baseUrl, String accountSid, String authToken, String from) {
        this.enabled = enabled;
        if (!enabled) {
            this.baseUrl = null;
            this.accountSid = null;
            this.authToken = null;
            this.from = null;
            return;
        }
        String base = baseUrl == null ? "" : baseUrl.trim();
        try {
            URI uri = new URI(base);
            if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new URISyntaxException(base, "not an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cartrecovery.sms.provider.base-url must be an absolute http(s) URL like "
                    + "https://api.twilio.com, not '" + baseUrl + "'");
        }
        String sid = accountSid == null ? "" : accountSid.trim();
        if (!ACCOUNT_SID.matcher(sid).matches()) {
            throw new IllegalStateException("cartrecovery.sms.provider.account-sid must be the account's SID (AC..., 1 to 64 "
                    + "letters, digits, '_' or '-'), not '" + sid + "'");
        }
        if (authToken == null || authToken.trim().isEmpty()) {
            throw new IllegalStateException("cartrecovery.sms.provider.auth-token is not set (the account's auth token; "
                    + "it also verifies the provider's callbacks)");
        }
        String sender = from == null ? "" : from.trim();
        if (!SENDER.matcher(sender).matches()) {
            throw new IllegalStateException("cartrecovery.sms.provider.from must be an E.164 number (+15005550006), a "
                    + "messaging service SID (MG...) or an alphanumeric sender ID (at most 11 letters, digits or spaces, at least one letter), not '" + sender + "'");
        }
        this.baseUrl = base.replaceAll("/+$", "");
        this.accountSid = sid;
        this.authToken = authToken.trim();
        this.from = sender;
    }

    /** {@code cartrecovery.sms.enabled}: false, and the SMS channel sends nothing and its endpoints answer 404. */
    public boolean isEnabled() { return enabled; }
    public String getBaseUrl() { return baseUrl; }
    public String getAccountSid() { return accountSid; }
    String getAuthToken() { return authToken; }
    public String getFrom() { return from; }

    /** The verifier of the provider's callbacks, keyed with the auth token. */
    public TwilioSignature signature() {
        if (!enabled) {
            throw new IllegalStateException("SMS is not enabled (cartrecovery.sms.enabled=false)");
        }
        return new TwilioSignature(authToken);
    }

    @Override
    public String toString() {
        return enabled ? "SMS via " + baseUrl + " as " + accountSid + " from " + from : "SMS off";
    }
}
