package io.github.cartrecovery.personaldata;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way the plugin shows a shopper's personal data to someone who may not see it: in the admin (lists,
 * forms, errors, event details) for a user without the personal-data permission, and always in the logs.
 * Enough to tell records apart and to recognise a customer who calls in, not enough to copy data out:
 * {@code jane.doe@example.com} -> {@code j***@example.com}, {@code 203.0.113.7} -> {@code 203.0.***.***},
 * {@code Jane} -> {@code J***}, {@code +4915112345678} -> {@code +49***78}. Free text (an SMTP reply, an exception) keeps its words and loses the
 * addresses in it. Pure functions, linear in the length of their input.
 */
public final class PersonalDataMask {

    static final String STARS = "***";

    /** Four dotted numbers of at most three digits: an IPv4 address (checked for 0..255 below). */
    private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![0-9])");
    /** Hex groups joined by colons; taken as IPv6 only with "::" or at least five colons (a time has two). */
    private static final Pattern IPV6 = Pattern.compile("(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])");
    /** A number as the plugin and SMS providers write it (E.164): '+' and 7 to 15 digits, not inside a longer number. */
    private static final Pattern E164 = Pattern.compile("(?<![0-9+])\\+[1-9][0-9]{6,14}(?![0-9])");
    private static final int MAX_CAUSES = 16;

    private PersonalDataMask() {
    }

    /** The masked address; {@code null} for no address, {@code "***"} for something that is not an address. */
    public static String email(String email) {
        if (email == null || email.trim().isEmpty()) {
            return null;
        }
        String address = email.trim();
        int at = address.lastIndexOf('@');
        if (at < 1 || at == address.length() - 1) {
            return STARS;
        }
        return address.substring(0, 1) + STARS + address.substring(at);
    }

    /** An IP address with its host part hidden: the first two groups of IPv4 or IPv6 stay; {@code null} stays null. */
    public static String ip(String ip) {
        if (ip == null || ip.trim().isEmpty()) {
            return null;
        }
        String address = ip.trim();
        if (IPV4.matcher(address).matches()) {
            String[] parts = address.split("\\.");
            return parts[0] + "." + parts[1] + "." + STARS + "." + STARS;
        }
        int colon = address.indexOf(':');
        int second = colon < 0 ? -1 : address.indexOf(':', colon + 1);
        return second > 0 ? address.substring(0, second) + ":" + STARS : STARS;
    }

    /** A browser's user agent: its first product token without version ({@code Mozilla ***}); null stays null. */
    public static String userAgent(String userAgent) {
        if (userAgent == null || userAgent.trim().isEmpty()) {
            return null;
        }
        String agent = userAgent.trim();
        int end = 0;
        while (end < agent.length() && end < 32 && (Character.isLetterOrDigit(agent.charAt(end)) || agent.charAt(end) == '-')) {
            end++;
        }
        return end == 0 ? STARS : agent.substring(0, end) + " " + STARS;
    }

    /** A name: its first character; null stays null. */
    public static String name(String name) {
        if (name == null || name.trim().isEmpty()) {
            return null;
        }
        return name.trim().substring(0, name.trim().offsetByCodePoints(0, 1)) + STARS;
    }

    /**
     * A phone number: '+' and its country calling code, three stars, its last two digits ({@code +49***78}); without
     * a recognisable country code only the last two digits ({@code ***78}); {@code "***"} when it has fewer than six
     * digits; null stays null. Shown in the admin, logs and rejection records: enough to recognise a caller's number.
     */
    public static String phone(String phone) {
        if (phone == null || phone.trim().isEmpty()) {
            return null;
        }
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < phone.length(); i++) {
            char c = phone.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        if (digits.length() < 6) {
            return STARS;
        }
        String last = digits.substring(digits.length() - 2);
        String countryCode = phone.trim().startsWith("+") ? countryCallingCode(digits) : null;
        return countryCode == null ? STARS + last : "+" + countryCode + STARS + last;
    }

    /** Country calling codes are prefix-free: the first of one, two or three leading digits that is one is it. */
    private static String countryCallingCode(CharSequence digits) {
        java.util.Set<Integer> codes = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedCallingCodes();
        for (int length = 1; length <= 3; length++) {
            if (codes.contains(Integer.valueOf(digits.subSequence(0, length).toString()))) {
                return digits.subSequence(0, length).toString();
            }
        }
        return null;
    }

    /**
     * Free text with every address in it masked ({@link #email}, {@link #ip}) and every phone number written in E.164
     * ({@link #phone}: what the plugin and SMS providers write); everything else kept.
     */
    public static String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return phoneNumbers(ipAddresses(emailAddresses(text)));
    }

    /** The value masked as its kind says. */
    public static String mask(PersonalData.Kind kind, String value) {
        switch (kind) {
            case EMAIL:
                return email(value);
            case IP:
                return ip(value);
            case USER_AGENT:
                return userAgent(value);
            case NAME:
                return name(value);
            case PHONE:
                return phone(value);
            default:
                return text(value);
        }
    }

    /**
     * A stand-in for {@code failure} to log: the same classes (by name), stack traces and causes, every message
     * masked ({@link #text}). Some drivers and mail libraries put the rejected row or recipient in the message
     * (PostgreSQL's batch errors print the statement with its values; an SMTP 550 names the recipient).
     */
    public static Throwable failure(Throwable failure) {
        return failure == null ? null : masked(failure, new IdentityHashMap<Throwable, Throwable>(), 0);
    }

    private static Throwable masked(Throwable original, Map<Throwable, Throwable> done, int depth) {
        Throwable copy = done.get(original);
        if (copy != null) {
            return copy;
        }
        MaskedFailure masked = new MaskedFailure(text(original.getMessage()), text(original.toString()));
        done.put(original, masked);
        masked.setStackTrace(original.getStackTrace());
        if (original.getCause() != null && original.getCause() != original && depth < MAX_CAUSES) {
            masked.initCause(masked(original.getCause(), done, depth + 1));
        }
        for (Throwable suppressed : original.getSuppressed()) {
            masked.addSuppressed(masked(suppressed, done, depth + 1));
        }
        if (original instanceof java.sql.SQLException && depth < MAX_CAUSES) {
            java.sql.SQLException next = ((java.sql.SQLException) original).getNextException();
            if (next != null && next != original.getCause()) {
                masked.addSuppressed(masked(next, done, depth + 1));
            }
        }
        return masked;
    }

    /** An exception as logged after masking: prints as the original did ({@code toString}), masked. */
    static final class MaskedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String maskedToString;

        MaskedFailure(String maskedMessage, String maskedToString) {
            super(maskedMessage);
            this.maskedToString = maskedToString;
        }

        @Override
        public String toString() {
            return maskedToString;
        }
    }

    /**
     * Each '@' with at least one address character on both sides is an address: the run of local-part
     * characters before it and of domain characters after it are replaced by their mask. One pass, no regex
     * (a regex would backtrack over long runs without '@').
     */
    private static String emailAddresses(String text) {
        if (text.indexOf('@') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        int at = text.indexOf('@');
        while (at >= 0) {
            int start = at;
            while (start > copied && isLocalPart(text.charAt(start - 1))) {
                start--;
            }
            int end = at + 1;
            while (end < text.length() && isDomain(text.charAt(end))) {
                end++;
            }
            while (end > at + 1 && text.charAt(end - 1) == '.') {
                end--; // the full stop ending a sentence is not part of the domain
            }
            if (start < at && end > at + 1) {
                out.append(text, copied, start).append(text.charAt(start)).append(STARS).append(text, at, end);
                copied = end;
            }
            at = text.indexOf('@', Math.max(at + 1, copied));
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static boolean isLocalPart(char c) {
        return Character.isLetterOrDigit(c) || "._%+-!#$&*/=?^{|}~".indexOf(c) >= 0; // no quotes: they delimit an address in SQL and logs
    }

    private static boolean isDomain(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '[' || c == ']' || c == ':';
    }

    private static String phoneNumbers(String text) {
        if (text.indexOf('+') < 0) {
            return text;
        }
        StringBuffer out = new StringBuffer(text.length());
        Matcher number = E164.matcher(text);
        while (number.find()) {
            number.appendReplacement(out, Matcher.quoteReplacement(phone(number.group())));
        }
        number.appendTail(out);
        return out.toString();
    }

    private static String ipAddresses(String text) {
        StringBuffer out = new StringBuffer(text.length());
        Matcher v4 = IPV4.matcher(text);
        while (v4.find()) {
            boolean address = true;
            for (int group = 1; group <= 4; group++) {
                address &= Integer.parseInt(v4.group(group)) <= 255;
            }
            v4.appendReplacement(out, Matcher.quoteReplacement(address ? ip(v4.group()) : v4.group()));
        }
        v4.appendTail(out);
        String withoutV4 = out.toString();
        if (withoutV4.indexOf(':') < 0) {
            return withoutV4;
        }
        StringBuffer v6out = new StringBuffer(withoutV4.length());
        Matcher v6 = IPV6.matcher(withoutV4);
        while (v6.find()) {
            String candidate = v6.group();
            int colons = candidate.length() - candidate.replace(":", "").length();
            boolean address = candidate.contains("::") || colons >= 5;
            v6.appendReplacement(v6out, Matcher.quoteReplacement(address ? ip(candidate) : candidate));
        }
        v6.appendTail(v6out);
        return v6out.toString();
    }
}
