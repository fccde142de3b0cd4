package io.github.cartrecovery.phone;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Turns a phone number as a shopper typed it (or as Broadleaf holds it) into the one form the plugin stores and
 * texts: E.164, {@code +} and at most 15 digits ({@code +4915112345678}). Numbers written without a country code
 * are read in a region: the cart's (its locale's country) when it has one, then the store's
 * ({@code cartrecovery.sms.default-region}); the first region in which the number is a valid, textable number wins.
 * {@code +49 ...} and {@code 0049 ...} are read as international wherever they are typed.
 * <p>
 * Refused, each with its {@link InvalidPhoneNumberException.Rule}: nothing typed; more than {@value #MAX_LENGTH}
 * characters; letters (vanity numbers, "ext. 12") or other characters than digits (any script's), spaces and
 * {@code + - . ( ) /} (invisible formatting characters, such as the bidirectional marks around a copied number, are
 * ignored);
 * an unknown country code; too few or too many digits; a number not in use in its country (libphonenumber's
 * metadata); a number that cannot receive texts where its country's numbering plan says so (fixed line, toll free,
 * premium rate, shared cost, pager, UAN, voicemail). Where a plan does not tell mobile from fixed lines (the US and
 * Canada: FIXED_LINE_OR_MOBILE) the number is taken; the SMS provider's answer then decides.
 * <p>
 * Never logs and never puts the number in an exception message. Stateless and thread-safe (libphonenumber's
 * {@link PhoneNumberUtil} is).
 */
public final class PhoneNumbers {

    /** The longest input read: an international number with every separator (+1 (201) 555-0123 is 17). */
    public static final int MAX_LENGTH = 32;

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final String UNKNOWN_REGION = "ZZ";
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    /** Separators people type inside numbers: ASCII and Unicode dashes, dots, slashes, parentheses. */
    private static final String SEPARATORS = "-./()\u2010\u2011\u2012\u2013\u2014\u2015\u2212";
    private static final char FULL_WIDTH_PLUS = '\uFF0B';
    /** Number types that can receive a text (VoIP and personal numbers usually can). */
    private static final Set<PhoneNumberType> TEXTABLE = EnumSet.of(PhoneNumberType.MOBILE,
            PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.VOIP, PhoneNumberType.PERSONAL_NUMBER);

    private final String defaultRegion;

    /**
     * @param defaultRegion {@code cartrecovery.sms.default-region}: a two-letter country code (ISO 3166-1, e.g. US);
     *                      empty for none (then a number without a cart region needs its +country code)
     * @throws IllegalArgumentException naming the property when the region is not one libphonenumber knows
     */
    public PhoneNumbers(String defaultRegion) {
        String region = defaultRegion == null ? "" : defaultRegion.trim().toUpperCase(Locale.ROOT);
        if (!region.isEmpty() && !UTIL.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("cartrecovery.sms.default-region: must be empty or a two-letter country code"
                    + " (ISO 3166-1, like US, GB or DE), was '" + defaultRegion + "'");
        }
        this.defaultRegion = region.isEmpty() ? null : region;
    }

    /** The configured default region (upper case), or null when none is configured. */
    public String getDefaultRegion() {
        return defaultRegion;
    }

    /** The number in E.164, read in the default region when it has no country code. */
    public String normalise(String typed) {
        return normalise(typed, null);
    }

    /**
     * The number in E.164.
     *
     * @param regionHint the cart's region (see {@link #regionOfLocale}), tried before the default region; may be null
     * @throws InvalidPhoneNumberException naming the rule the number broke
     */
    public String normalise(String typed, String regionHint) {
        String number = checkCharacters(typed);
        if (number.charAt(0) == '+') {
            return parseIn(number, UNKNOWN_REGION);
        }
        List<String> regions = new ArrayList<String>(2);
        String hint = supported(regionHint);
        if (hint != null) {
            regions.add(hint);
        }
        if (defaultRegion != null && !regions.contains(defaultRegion)) {
            regions.add(defaultRegion);
        }
        if (regions.isEmpty()) {
            regions.add(UNKNOWN_REGION);    // refused as COUNTRY_CODE unless it starts with 00
        }
        InvalidPhoneNumberException first = null;
        for (String region : regions) {
            try {
                return parseIn(number, region);
            } catch (InvalidPhoneNumberException e) {
                first = first == null ? e : first;
            }
        }
        String digits = PhoneNumberUtil.normalizeDigitsOnly(number);
        if (digits.startsWith("00")) {
            // 00 is the international prefix in most of the world but not in every region (US: 011, AU: 0011)
            return parseIn("+" + digits.substring(2), UNKNOWN_REGION);
        }
        throw first;
    }

    /** True for a value in the form the plugin stores (+, then 7 to 15 digits, no leading zero). */
    public static boolean isE164(String value) {
        return value != null && E164.matcher(value).matches();
    }

    /** The region (ISO 3166-1 country code) of a stored E.164 number, or null when it has none (or is not E.164). */
    public static String regionOf(String e164) {
        if (!isE164(e164)) {
            return null;
        }
        try {
            String region = UTIL.getRegionCodeForNumber(UTIL.parse(e164, UNKNOWN_REGION));
            return region == null || PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY.equals(region) ? null : region;
        } catch (NumberParseException e) {
            return null;
        }
    }

    /**
     * The country of a Broadleaf locale code ({@code en_US}, {@code de-DE} -> US, DE) when libphonenumber knows it;
     * null for a language alone ({@code en}), null or anything else.
     */
    public static String regionOfLocale(String localeCode) {
        if (localeCode == null) {
            return null;
        }
        String[] parts = localeCode.trim().split("[_-]");
        return parts.length < 2 ? null : supported(parts[1]);
    }

    private static String supported(String region) {
        if (region == null) {
            return null;
        }
        String upper = region.trim().toUpperCase(Locale.ROOT);
        return upper.length() == 2 && UTIL.getSupportedRegions().contains(upper) ? upper : null;
    }

    /**
     * The trimmed number, when it holds nothing but digits, separators and one leading '+'. Invisible formatting
     * characters are dropped (Unicode category Cf: the bidirectional marks that phones and chat apps wrap around a
     * copied number, zero-width spaces), and a full-width plus (U+FF0B, typed with an East Asian input method) is a '+'
     * (libphonenumber reads it so, and full-width digits are taken already).
     */
    private static String checkCharacters(String typed) {
        if (typed == null) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Rule.REQUIRED);
        }
        int start = 0;
        int end = typed.length();
        while (start < end && isSpaceOrInvisible(typed.charAt(start))) {
            start++;
        }
        while (end > start && isSpaceOrInvisible(typed.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Rule.REQUIRED);
        }
        if (end - start > MAX_LENGTH) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Rule.MAX_LENGTH);
        }
        StringBuilder number = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = typed.charAt(i);
            if (Character.getType(c) == Character.FORMAT) {
                continue;
            }
            boolean plus = c == '+' || c == FULL_WIDTH_PLUS;
            boolean allowed = Character.isDigit(c) || isSpace(c) || SEPARATORS.indexOf(c) >= 0 || (plus && number.length() == 0);
            if (!allowed) {
                throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Rule.CHARACTERS);
            }
            number.append(plus ? '+' : c);
        }
        return number.toString();
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static boolean isSpaceOrInvisible(char c) {
        return isSpace(c) || Character.getType(c) == Character.FORMAT;
    }

    private static String parseIn(String number, String region) {
        PhoneNumber parsed;
        try {
            parsed = UTIL.parse(number, region);
        } catch (NumberParseException e) {
            throw new InvalidPhoneNumberException(ruleFor(e.getErrorType()));
        }
        switch (UTIL.isPossibleNumberWithReason(parsed)) {
            case IS_POSSIBLE:
                break;
            case INVALID_COUNTRY_CODE:
                throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Rule.COUNTRY_CODE);
            case TOO_SHORT:
            case IS_POSSIBLE_LOCAL_ONLY:    // a local number without its area code: not dialable from a text gateway
                throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Rule.TOO_SHORT);
            case TOO_LONG:
                throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Rule.TOO_LONG);
            default:
                throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Rule.INVALID);
        }
        if (parsed.hasExtension() || !UTIL.isValidNumber(parsed)) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Rule.INVALID);
        }
        if (!TEXTABLE.contains(UTIL.getNumberType(parsed))) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Rule.NOT_MOBILE);
        }
        return UTIL.format(parsed, PhoneNumberFormat.E164);
    }

    private static InvalidPhoneNumberException.Rule ruleFor(NumberParseException.ErrorType error) {
        switch (error) {
            case INVALID_COUNTRY_CODE:
                return InvalidPhoneNumberException.Rule.COUNTRY_CODE;
            case TOO_SHORT_AFTER_IDD:
            case TOO_SHORT_NSN:
                return InvalidPhoneNumberException.Rule.TOO_SHORT;
            case TOO_LONG:
                return InvalidPhoneNumberException.Rule.TOO_LONG;
            default:
                return InvalidPhoneNumberException.Rule.INVALID;
        }
    }
}
