package io.github.cartrecovery.sms;

/**
 * How many SMS segments a text takes, as a phone network counts them (3GPP TS 23.038 and 23.040). A text written only
 * in the GSM 7-bit default alphabet is sent as GSM-7: 160 septets fit one segment, a longer text is split into
 * segments of 153 (each carries a 7-byte header); the characters of the alphabet's extension table
 * ({@code ^ { } \ [ ~ ] | €} and form feed) take two septets, and a pair is never split across segments. Any other
 * character makes the whole text UCS-2: 70 UTF-16 units in one segment, 67 per segment when split, a surrogate pair
 * (an emoji) never split. Pure functions.
 */
public final class SegmentCounter {

    /** The alphabet a text is sent in. */
    public enum Encoding {
        GSM_7("GSM-7", 160, 153),
        UCS_2("UCS-2", 70, 67);

        private final String label;
        private final int single;
        private final int perSegment;

        Encoding(String label, int single, int perSegment) {
            this.label = label;
            this.single = single;
            this.perSegment = perSegment;
        }

        /** Units (septets or UTF-16 units) that fit one segment when the text is not split. */
        public int single() { return single; }
        /** Units per segment of a split text. */
        public int perSegment() { return perSegment; }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The GSM 03.38 default alphabet (its escape character, 0x1B, left out: a text never contains it itself). */
    static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** The extension table: each of these is sent as escape + character, two septets. */
    static final String EXTENSION = "\f^{}\\[~]|€";

    private SegmentCounter() {
    }

    public static Encoding encoding(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (BASIC.indexOf(c) < 0 && EXTENSION.indexOf(c) < 0) {
                return Encoding.UCS_2;
            }
        }
        return Encoding.GSM_7;
    }

    /** Septets (GSM-7) or UTF-16 units (UCS-2) the text takes. */
    public static int units(String text) {
        Encoding encoding = encoding(text);
        if (encoding == Encoding.UCS_2) {
            return text.length();
        }
        int septets = 0;
        for (int i = 0; i < text.length(); i++) {
            septets += EXTENSION.indexOf(text.charAt(i)) >= 0 ? 2 : 1;
        }
        return septets;
    }

    /** Segments the text takes (an empty text takes one). */
    public static int segments(String text) {
        Encoding encoding = encoding(text);
        if (units(text) <= encoding.single()) {
            return 1;
        }
        int segments = 1;
        int used = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int size;
            if (encoding == Encoding.GSM_7) {
                size = EXTENSION.indexOf(c) >= 0 ? 2 : 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                size = 2;
                i++;
            } else {
                size = 1;
            }
            if (used + size > encoding.perSegment()) {
                segments++;
                used = 0;
            }
            used += size;
        }
        return segments;
    }
}
