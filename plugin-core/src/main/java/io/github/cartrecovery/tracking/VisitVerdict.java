package io.github.cartrecovery.tracking;

/**
 * Who followed a tracked link, as far as {@link ScannerRules} can tell: a person, a link-scanning gateway (certain:
 * a HEAD request, a scanner's user agent or address), or an early visit (a GET within seconds of sending: most
 * likely a gateway that hides behind a browser's user agent, possibly a very quick shopper).
 */
public final class VisitVerdict {

    public enum Kind { PERSON, SCANNER, EARLY }

    private static final VisitVerdict PERSON = new VisitVerdict(Kind.PERSON, null);

    private final Kind kind;
    private final String reason;

    private VisitVerdict(Kind kind, String reason) {
        this.kind = kind;
        this.reason = reason;
    }

    public static VisitVerdict person() { return PERSON; }
    public static VisitVerdict scanner(String reason) { return new VisitVerdict(Kind.SCANNER, reason); }
    public static VisitVerdict early(String reason) { return new VisitVerdict(Kind.EARLY, reason); }

    public Kind getKind() { return kind; }

    /** Why it is not a person; null for a person. */
    public String getReason() { return reason; }

    /** Counts as an open or click (and so for attribution): a person only. */
    public boolean isPerson() { return kind == Kind.PERSON; }

    /**
     * May the restore link bring the cart back? Not for a certain scanner (nobody would see it); yes for an early
     * visit, which may be a quick shopper: the cart goes into the visitor's own session, and the visit still does
     * not count as a click.
     */
    public boolean mayRestore() { return kind != Kind.SCANNER; }

    @Override
    public String toString() {
        return reason == null ? kind.name() : kind + " (" + reason + ")";
    }
}
