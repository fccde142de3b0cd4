package io.github.cartrecovery.sms;

/** One text message as it is handed to the provider: its body, its alphabet and how many segments it takes. Immutable. */
public final class SmsText {

    private final String body;
    private final SegmentCounter.Encoding encoding;
    private final int segments;

    public SmsText(String body) {
        if (body == null || body.trim().isEmpty()) {
            throw new IllegalArgumentException("an SMS needs a body");
        }
        this.body = body;
        this.encoding = SegmentCounter.encoding(body);
        this.segments = SegmentCounter.segments(body);
    }

    public String getBody() { return body; }
    public SegmentCounter.Encoding getEncoding() { return encoding; }
    public int getSegments() { return segments; }
    /** Characters as the shopper sees them (code points). */
    public int getCharacters() { return body.codePointCount(0, body.length()); }

    @Override
    public String toString() {
        return segments + " segment(s), " + encoding + ": " + body;
    }
}
