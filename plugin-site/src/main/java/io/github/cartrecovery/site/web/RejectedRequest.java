package io.github.cartrecovery.site.web;

/**
 * A request the capture endpoint refuses, with the HTTP status and the field and rule it broke. Thrown
 * only before anything is written.
 */
public final class RejectedRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;
    private final String rule;

    public RejectedRequest(int status, String field, String rule, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
        this.rule = rule;
    }

    public int status() { return status; }
    public String field() { return field; }
    public String rule() { return rule; }
}
