package io.github.cartrecovery.channel;

import java.time.Instant;

/**
 * What a channel says about one message before it is built: the address to send to, or a reason not to send
 * (recorded as the SKIPPED message's outcome), or a time before which it must not be sent (quiet hours: the
 * message goes back to PLANNED, due then, without counting an attempt). Immutable.
 */
public final class Recipient {

    /** The shopper has no address on this channel (no phone number, no webhook URL configured...). */
    public static final String NO_ADDRESS = "NO_ADDRESS";
    /** The shopper never gave (or withdrew) consent for this channel. */
    public static final String NO_CONSENT = "NO_CHANNEL_CONSENT";
    /** The address opted out of this channel (SMS STOP, a bounced address...). */
    public static final String OPTED_OUT = "CHANNEL_OPT_OUT";

    private final String address;
    private final String skipReason;
    private final Instant notBefore;

    private Recipient(String address, String skipReason, Instant notBefore) {
        this.address = address;
        this.skipReason = skipReason;
        this.notBefore = notBefore;
    }

    /** Send to this address (an email address, an E.164 number, a URL). */
    public static Recipient to(String address) {
        if (address == null || address.isEmpty()) {
            throw new IllegalArgumentException("a recipient needs an address");
        }
        return new Recipient(address, null, null);
    }

    /** Do not send; {@code reason}: upper case, at most 32 characters, recorded as the message's outcome. */
    public static Recipient skip(String reason) {
        if (reason == null || reason.isEmpty() || reason.length() > 32) {
            throw new IllegalArgumentException("a skip reason has 1 to 32 characters, was '" + reason + "'");
        }
        return new Recipient(null, reason, null);
    }

    /** Send to {@code address}, but not before {@code notBefore} (quiet hours): the message waits until then. */
    public static Recipient later(String address, Instant notBefore) {
        if (notBefore == null) {
            throw new IllegalArgumentException("a deferred recipient needs a time");
        }
        return new Recipient(address, null, notBefore);
    }

    public String getAddress() { return address; }
    /** Null unless the message must not be sent. */
    public String getSkipReason() { return skipReason; }
    /** Null unless the message must wait. */
    public Instant getNotBefore() { return notBefore; }

    public boolean isSkipped() { return skipReason != null; }

    public boolean isDeferred() { return notBefore != null; }
}
