package io.github.cartrecovery.sms;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a shopper's reply asks for, by the keywords carriers and Twilio honour: STOP, STOPALL, UNSUBSCRIBE, CANCEL,
 * END, QUIT (stop texting me); START, YES, UNSTOP (texts again); HELP, INFO (who is this). The whole reply must be the
 * keyword, in any casing and width (full-width letters count), with surrounding spaces, invisible formatting characters
 * and trailing punctuation ignored ("Stop.", " stop! "), so a reply
 * like "please don't stop the sale" is no opt-out. Pure functions.
 */
public final class InboundKeywords {

    /** What a reply asks for. */
    public enum Keyword { STOP, START, HELP, NONE }

    private static final Set<String> STOP = words("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    private static final Set<String> START = words("START", "YES", "UNSTOP");
    private static final Set<String> HELP = words("HELP", "INFO");

    private InboundKeywords() {
    }

    public static Keyword of(String body) {
        if (body == null) {
            return Keyword.NONE;
        }
        // NFKC: a full-width "ＳＴＯＰ！" (an East Asian input method) is STOP; invisible formatting characters are dropped
        String word = Normalizer.normalize(body, Normalizer.Form.NFKC).replaceAll("\\p{Cf}", "").trim()
                .replaceAll("[\\s.!?,;:]+$", "").toUpperCase(Locale.ROOT);
        if (STOP.contains(word)) {
            return Keyword.STOP;
        }
        if (START.contains(word)) {
            return Keyword.START;
        }
        if (HELP.contains(word)) {
            return Keyword.HELP;
        }
        return Keyword.NONE;
    }

    private static Set<String> words(String... words) {
        return new HashSet<String>(Arrays.asList(words));
    }
}
