package io.github.cartrecovery.demo;

import java.util.Locale;

/** Text as the demo's own pages (mailbox, SMS outbox, webhook receiver) put it into HTML and JSON. */
public final class PageText {

    private PageText() {
    }

    /**
     * HTML-escaped for element text and quoted attribute values: the five markup characters only (the pages are UTF-8;
     * Spring 3.2's HtmlUtils would also turn every accented letter into an entity); null is empty.
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }

    /** A JSON string literal, with &lt; &gt; &amp; escaped too so it is safe inside a script element; null is "". */
    public static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        String value = text == null ? "" : text;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
