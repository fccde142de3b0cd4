package io.github.cartrecovery.detection;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.github.cartrecovery.config.CurrencyAmounts;
import io.github.cartrecovery.config.ListSetting;
import io.github.cartrecovery.capture.CartOrigin;
import io.github.cartrecovery.capture.MarketingConsent;

/**
 * The store's rules for carts that must never be emailed. Built once from properties; evaluating a
 * cart is pure and cheap. A cart matching any rule is marked EXCLUDED with the rule's reason.
 */
public final class ExclusionRules {

    private final List<Pattern> botUserAgents;
    private final List<String> emailDomains;
    private final List<String> emailAddresses;
    private final List<IPAddress> ipRanges;
    private final boolean excludeAdminCarts;
    /** cartrecovery.exclusion.minimum-cart-value, per currency; a currency without one has no minimum. */
    private final CurrencyAmounts minimumValue;
    private final boolean requireConsent;

    public ExclusionRules(String botUserAgents, String emailDomains, String emailAddresses, String ipRanges,
                          boolean excludeAdminCarts, String minimumValue, boolean requireConsent) {
        this.botUserAgents = patterns(botUserAgents);
        this.emailDomains = ListSetting.lowerCase(emailDomains);
        this.emailAddresses = ListSetting.lowerCase(emailAddresses);
        this.ipRanges = ListSetting.ipRanges("cartrecovery.exclusion.ip-ranges", ipRanges);
        this.excludeAdminCarts = excludeAdminCarts;
        this.minimumValue = CurrencyAmounts.parse("cartrecovery.exclusion.minimum-cart-value", minimumValue);
        this.requireConsent = requireConsent;
    }

    /** The reason the cart is excluded, or null when it may be emailed; {@code total} is in {@code currencyCode}. */
    public String reasonToExclude(String email, String userAgent, String clientIp, CartOrigin origin,
                                  BigDecimal total, String currencyCode, MarketingConsent consent) {
        if (excludeAdminCarts && origin == CartOrigin.ADMIN) {
            return "created in the admin";
        }
        if (requireConsent && consent != MarketingConsent.GRANTED) {
            return "no marketing consent";
        }
        if (isBotUserAgent(userAgent)) {
            return "bot user agent";
        }
        if (email != null) {
            String address = email.trim().toLowerCase(Locale.ROOT);
            if (emailAddresses.contains(address)) {
                return "excluded address";
            }
            String domain = address.substring(address.lastIndexOf('@') + 1);
            for (String excluded : emailDomains) {
                if (domain.equals(excluded) || domain.endsWith("." + excluded)) {
                    return "excluded email domain";
                }
            }
        }
        if (clientIp != null && !ipRanges.isEmpty()) {
            IPAddress address = new IPAddressString(clientIp).getAddress();
            if (address != null) {
                for (IPAddress range : ipRanges) {
                    if (range.contains(address)) {
                        return "excluded IP range";
                    }
                }
            }
        }
        BigDecimal minimum = minimumValue.forCurrency(currencyCode);
        if (total != null && minimum != null && total.compareTo(minimum) < 0) {
            return "below minimum value";
        }
        return null;
    }

    /** True when the User-Agent matches one of {@code cartrecovery.exclusion.bot-user-agents}; false for null. */
    public boolean isBotUserAgent(String userAgent) {
        if (userAgent != null) {
            for (Pattern bot : botUserAgents) {
                if (bot.matcher(userAgent).find()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<Pattern> patterns(String csv) {
        List<Pattern> patterns = new ArrayList<Pattern>();
        for (String value : ListSetting.values(csv)) {
            patterns.add(Pattern.compile(value, Pattern.CASE_INSENSITIVE));
        }
        return Collections.unmodifiableList(patterns);
    }
}
