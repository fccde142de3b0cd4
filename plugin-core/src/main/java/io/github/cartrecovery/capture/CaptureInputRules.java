package io.github.cartrecovery.capture;

import java.util.ArrayList;
import java.util.List;

import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.phone.InvalidPhoneNumberException;
import io.github.cartrecovery.phone.PhoneNumbers;

/**
 * Makes every value of an observation fit the column it goes to, so the database never refuses a captured cart
 * for what a shopper or the host typed. Applied where observations are made ({@link OrderEventCapture}), so it
 * covers every door into capture: Broadleaf's checkout email step, registration and login (their addresses reach
 * the cart through the merge), the admin's order edits, and reconciliation.
 * <ul>
 *   <li>The email goes through {@link EmailAddressValidator} (trimmed, at most 254 characters, no header
 *       characters, RFC syntax, domain in lower case: the one form the plugin stores). An address it refuses is
 *       left out (the cart is captured without it and so never emailed) and reported as a {@link FieldRejection}
 *       with the rule it broke and the address masked.</li>
 *   <li>A phone number from Broadleaf goes through {@link PhoneNumbers} (E.164, read in the cart's locale country,
 *       then {@code cartrecovery.sms.default-region}). One it refuses is left out and reported like an email, the
 *       number masked; a valid number that cannot receive texts (a landline) is left out without a report: it is
 *       not wrong, just of no use. Such a number never carries SMS consent.</li>
 *   <li>The client address is kept only while the IP-range exclusion rule is configured (privacy: an address
 *       is stored only where a rule needs it).</li>
 *   <li>Other text (locale, currency, client IP, user agent, item names, codes, URLs) loses the characters no
 *       column may hold (NUL, which PostgreSQL refuses, other control characters, and half surrogate pairs, which
 *       no UTF-8 column can encode) and is cut to its column's length at a character boundary. An item with no
 *       name gets {@link #UNNAMED_ITEM} (the column is NOT NULL).</li>
 * </ul>
 * Plain computation, safe on the shopper's thread; stateless and thread-safe.
 */
public class CaptureInputRules {

    /** Column lengths of CR_CAPTURED_CART and CR_CAPTURED_CART_ITEM (1.0/001, 1.0/002). */
    static final int LOCALE_CODE = 16;
    static final int CURRENCY_CODE = 3;
    static final int CLIENT_IP = 45;
    static final int USER_AGENT = 512;
    static final int ITEM_NAME = 255;
    static final int SKU_CODE = 255;
    static final int ITEM_URL = 1024;
    static final int OPTIONS = 1024;

    static final String UNNAMED_ITEM = "(unnamed item)";

    private final EmailAddressValidator validator;
    private final boolean keepClientIp;
    private final PhoneNumbers phoneNumbers;

    /** Keeps no client address (no rule needs one); phone numbers need their cart's region or a country code. */
    public CaptureInputRules(EmailAddressValidator validator) {
        this(validator, "");
    }

    /**
     * @param exclusionIpRanges {@code cartrecovery.exclusion.ip-ranges}: the shopper's address is stored only when
     *        this rule is in use (it needs the whole address to match a range); otherwise it is never stored
     */
    public CaptureInputRules(EmailAddressValidator validator, String exclusionIpRanges) {
        this(validator, exclusionIpRanges, new PhoneNumbers(""));
    }

    /** @param phoneNumbers reads phone numbers ({@code cartrecovery.sms.default-region}) */
    public CaptureInputRules(EmailAddressValidator validator, String exclusionIpRanges, PhoneNumbers phoneNumbers) {
        this.validator = validator;
        this.keepClientIp = exclusionIpRanges != null && !exclusionIpRanges.trim().isEmpty();
        this.phoneNumbers = phoneNumbers;
    }

    /**
     * Of the numbers Broadleaf holds for a cart, in order of preference, the first that can receive texts; when none
     * can, the first one given (so {@link #clean} says why it was left out); null when none was given.
     */
    public String choosePhone(List<String> candidates, String localeCode) {
        String first = null;
        for (String candidate : candidates) {
            if (candidate == null || candidate.trim().isEmpty()) {
                continue;
            }
            first = first == null ? candidate : first;
            try {
                return phoneNumbers.normalise(candidate, PhoneNumbers.regionOfLocale(localeCode));
            } catch (InvalidPhoneNumberException e) {
                // try the next one
            }
        }
        return first;
    }

    /** The observation with every value storable; what had to be left out is in its rejected fields. */
    public CartObservation clean(CartObservation raw) {
        List<FieldRejection> rejected = new ArrayList<FieldRejection>(raw.getRejectedFields());
        String email = null;
        if (raw.getEmail() != null && !raw.getEmail().trim().isEmpty()) {
            try {
                email = validator.normalise(raw.getEmail());
            } catch (InvalidEmailAddressException e) {
                rejected.add(new FieldRejection("email", e.getRule().code(), MaskedEmail.of(raw.getEmail())));
            }
        }
        String phone = null;
        if (raw.getPhone() != null && !raw.getPhone().trim().isEmpty()) {
            try {
                phone = phoneNumbers.normalise(raw.getPhone(), PhoneNumbers.regionOfLocale(raw.getLocaleCode()));
            } catch (InvalidPhoneNumberException e) {
                if (e.getRule() != InvalidPhoneNumberException.Rule.NOT_MOBILE) {
                    rejected.add(new FieldRejection("phone", e.getRule().code(), PersonalDataMask.phone(raw.getPhone())));
                }
            }
        }
        List<CartItemSnapshot> items = new ArrayList<CartItemSnapshot>(raw.getItems().size());
        for (CartItemSnapshot item : raw.getItems()) {
            String name = text(item.getName(), ITEM_NAME);
            items.add(new CartItemSnapshot(item.getSkuId(), item.getProductId(),
                    name == null || name.trim().isEmpty() ? UNNAMED_ITEM : name,
                    text(item.getSkuCode(), SKU_CODE), text(item.getOptions(), OPTIONS), item.getQuantity(),
                    item.getUnitPrice(), text(item.getImageUrl(), ITEM_URL), text(item.getProductUrl(), ITEM_URL)));
        }
        return new CartObservation(raw.getOrderId(), raw.getCustomerId(), email,
                text(raw.getLocaleCode(), LOCALE_CODE), text(raw.getCurrencyCode(), CURRENCY_CODE), raw.getSiteId(),
                raw.getOrderState(), raw.getItemCount(), raw.getSubtotal(), raw.getTotal(), items, raw.getObservedAt(),
                keepClientIp ? text(raw.getClientIp(), CLIENT_IP) : null, text(raw.getUserAgent(), USER_AGENT),
                raw.getOrigin(), rejected).withPhone(phone);
    }

    /**
     * The text without control characters and unpaired surrogates, cut to at most {@code maxChars} UTF-16 units
     * (the unit column lengths count in Java and on all three databases for characters of the Basic Multilingual
     * Plane) without splitting a surrogate pair; {@code null} stays {@code null}.
     */
    public static String text(String value, int maxChars) {
        if (value == null) {
            return null;
        }
        StringBuilder kept = new StringBuilder(Math.min(value.length(), maxChars));
        for (int i = 0; i < value.length() && kept.length() < maxChars; i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    if (kept.length() + 2 > maxChars) {
                        break;
                    }
                    kept.append(c).append(value.charAt(++i));
                }
                continue; // an unpaired half is dropped
            }
            if (Character.isLowSurrogate(c) || Character.isISOControl(c)) {
                continue;
            }
            kept.append(c);
        }
        return kept.toString();
    }
}
