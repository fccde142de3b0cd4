package io.github.cartrecovery.rendering;

/** A rendered recovery email: subject, HTML part, plain-text part. Immutable. */
public final class RenderedEmail {

    private final String subject;
    private final String html;
    private final String text;

    public RenderedEmail(String subject, String html, String text) {
        this.subject = subject;
        this.html = html;
        this.text = text;
    }

    public String getSubject() { return subject; }
    public String getHtml() { return html; }
    public String getText() { return text; }
}
