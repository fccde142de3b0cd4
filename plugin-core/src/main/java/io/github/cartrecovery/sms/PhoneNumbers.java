package io.github.cartrecovery.sms;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phone numbers as the plugin keeps them: E.164 ({@code +4915112345678}, '+' and 2 to 15 digits, no leading zero),
 * normalised at capture. Masking keeps the country code's first digits and the last two, enough to recognise a number,
 * not to dial it. Pure functions.
 */
public final class PhoneNumbers {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    /** A number inside free text (a provider's error message names the number it refused). */
    private static final Pattern IN_TEXT = Pattern.compile("\\+?[0-9][0-9 ().-]{5,}[0-9]");

    private PhoneNumbers() {
    }

    public static boolean isE164(String phone) {
        return phone != null && E164.matcher(phone).matches();
    }

    /** {@code +4915112345678} -> {@code +49*********78}; null stays null; anything else is {@code ***}. */
    public static String mask(String phone) {
        if (phone == null) {
            return null;
        }
        String number = phone.trim();
        if (!isE164(number) || number.length() < 6) {
            return "***";
        }
        StringBuilder masked = new StringBuilder(number.substring(0, 3));
        for (int i = 3; i < number.length() - 2; i++) {
            masked.append('*');
        }
        return masked.append(number.substring(number.length() - 2)).toString();
    }

    /** Free text with every phone-number-like run of digits masked (provider errors, before they are stored or logged). */
    public static String maskIn(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        Matcher matcher = IN_TEXT.matcher(text);
        StringBuffer out = new StringBuffer(text.length());
        while (matcher.find()) {
            String digits = matcher.group().replaceAll("[^0-9+]", "");
            String replacement = digits.replace("+", "").length() >= 7
                    ? mask(digits.startsWith("+") ? digits : "+" + digits) : matcher.group();
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
