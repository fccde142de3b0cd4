package io.github.cartrecovery.sms;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.phone.PhoneNumbers;
import io.github.cartrecovery.campaign.QuietHours;
import io.github.cartrecovery.campaign.ShopperTimeZones;
import io.github.cartrecovery.channel.Addressee;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelMessage;
import io.github.cartrecovery.channel.ChannelUnavailableException;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.links.ShortRestoreLinks;
import io.github.cartrecovery.links.StoreUrls;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.rendering.SqlLists;

/**
 * The SMS channel (name {@value #NAME}, bean {@code crSmsChannel}): a short text with a short signed restore link,
 * sent through Twilio's REST API.
 * <ul>
 * <li>Who: the phone number captured with the cart (CR_CAPTURED_CART.PHONE), only with SMS consent GRANTED (there is
 * no setting to send without it), never to a number on the SMS opt-out list ({@link SmsOptOuts}); and never in the
 * shopper's quiet hours ({@code cartrecovery.sms.quiet-hours}, in the time zone {@link ShopperTimeZones} gives the
 * cart: its site, then its locale, then the store's), when the text waits until they end.</li>
 * <li>What: {@link SmsTemplates} (the step's template in the cart's locale), at most
 * {@code cartrecovery.sms.max-segments} segments.</li>
 * <li>How: {@link TwilioSender}; with {@code cartrecovery.sms.enabled=false} the bean exists, so campaigns with SMS
 * steps load, but {@link #open()} refuses: the texts wait (back-off) until SMS is switched on, nothing is lost.</li>
 * </ul>
 * Thread-safe.
 */
public class SmsChannel implements Channel<SmsText> {

    public static final String NAME = "SMS";
    public static final String STATUS_PATH = "/cart-recovery/sms/status";
    public static final String INBOUND_PATH = "/cart-recovery/sms/inbound";
    static final String CONSENT_GRANTED = "GRANTED";

    private final TwilioAccount account;
    private final TwilioClient client;
    private final SmsOptOuts optOuts;
    private final SmsTemplates templates;
    private final ShortRestoreLinks links;
    private final ShopperTimeZones timeZones;
    private final QuietHours quietHours;
    private final String storeName;
    private final String statusCallbackBase;

    /**
     * @param quietHours {@code cartrecovery.sms.quiet-hours}, in {@link QuietHours} form ("21:00-08:00": no texts from
     *        21:00 to 08:00); it may not be empty
     */
    public SmsChannel(TwilioAccount account, TwilioClient client, SmsOptOuts optOuts, SmsTemplates templates,
                      ShortRestoreLinks links, StoreUrls store, ShopperTimeZones timeZones, String quietHours,
                      String storeName) {
        if (quietHours == null || quietHours.trim().isEmpty()) {
            throw new IllegalStateException("cartrecovery.sms.quiet-hours may not be empty: texts are never sent at night "
                    + "(e.g. 21:00-08:00 sends from 08:00 to 21:00 in the shopper's time zone)");
        }
        this.quietHours = QuietHours.parse(quietHours, "cartrecovery.sms.quiet-hours");
        if (this.quietHours.isNone()) {
            throw new IllegalStateException("cartrecovery.sms.quiet-hours must leave some hours quiet, not '" + quietHours + "'");
        }
        this.account = account;
        this.client = client;
        this.optOuts = optOuts;
        this.templates = templates;
        this.links = links;
        this.timeZones = timeZones;
        this.storeName = storeName == null ? "" : storeName.trim();
        this.statusCallbackBase = store.baseUrl() + STATUS_PATH + "?m=";
    }

    @Override
    public String name() {
        return NAME;
    }

    public boolean isEnabled() {
        return account.isEnabled();
    }

    /** Texts have their own consent and opt-out list: an email unsubscribe or bounce does not stop them. */
    @Override
    public boolean stoppedByEmailSuppressions() {
        return false;
    }

    @Override
    public Map<Long, Recipient> recipients(JdbcTemplate jdbc, List<Addressee> addressees, Instant now) {
        Map<Long, Recipient> recipients = new HashMap<Long, Recipient>();
        if (addressees.isEmpty()) {
            return recipients;
        }
        Map<Long, CartPhone> carts = phones(jdbc, addressees);
        Set<String> numbers = new LinkedHashSet<String>();
        for (CartPhone cart : carts.values()) {
            if (cart.phone != null) {
                numbers.add(cart.phone);
            }
        }
        Set<String> optedOut = numbers.isEmpty() ? Collections.<String>emptySet() : optOuts.optedOutAmong(jdbc, numbers);
        for (Addressee addressee : addressees) {
            CartPhone cart = carts.get(addressee.getOrderId());
            Recipient recipient;
            if (cart == null || cart.phone == null) {
                recipient = Recipient.skip(Recipient.NO_ADDRESS);
            } else if (!CONSENT_GRANTED.equals(cart.consent)) {
                recipient = Recipient.skip(Recipient.NO_CONSENT);
            } else if (optedOut.contains(cart.phone)) {
                recipient = Recipient.skip(Recipient.OPTED_OUT);
            } else {
                String locale = cart.localeCode != null ? cart.localeCode : addressee.getLocaleCode();
                ZoneId zone = timeZones.zoneFor(cart.siteId, locale);
                Instant allowed = quietHours.nextAllowed(now, zone);
                recipient = allowed.isAfter(now) ? Recipient.later(cart.phone, allowed) : Recipient.to(cart.phone);
            }
            recipients.put(addressee.getPlannedMessageId(), recipient);
        }
        return recipients;
    }

    private static Map<Long, CartPhone> phones(JdbcTemplate jdbc, List<Addressee> addressees) {
        List<Long> orderIds = new ArrayList<Long>(new LinkedHashSet<Long>(orderIdsOf(addressees)));
        Map<Long, CartPhone> carts = new HashMap<Long, CartPhone>();
        for (int from = 0; from < orderIds.size(); from += 500) {
            List<Long> chunk = orderIds.subList(from, Math.min(orderIds.size(), from + 500));
            for (Map<String, Object> row : jdbc.queryForList("SELECT ORDER_ID, PHONE, SMS_CONSENT, SITE_ID, LOCALE_CODE "
                    + "FROM CR_CAPTURED_CART WHERE ORDER_ID IN (" + SqlLists.placeholders(chunk.size()) + ")", chunk.toArray())) {
                String phone = (String) row.get("PHONE");
                Number site = (Number) row.get("SITE_ID");
                carts.put(((Number) row.get("ORDER_ID")).longValue(), new CartPhone(
                        PhoneNumbers.isE164(phone) ? phone : null, (String) row.get("SMS_CONSENT"),
                        site == null ? null : site.longValue(), (String) row.get("LOCALE_CODE")));
            }
        }
        return carts;
    }

    private static List<Long> orderIdsOf(List<Addressee> addressees) {
        List<Long> ids = new ArrayList<Long>(addressees.size());
        for (Addressee addressee : addressees) {
            ids.add(addressee.getOrderId());
        }
        return ids;
    }

    @Override
    public SmsText build(ChannelMessage message) {
        return compose(message.getTemplate(), message.getCart(), message.getPlannedMessageId(),
                message.getCoupon() == null ? null : message.getCoupon().getCode());
    }

    /** The text of a template for a cart, with the short restore link of the message (previews use id 0). */
    public SmsText compose(String template, RecoveryCart cart, long plannedMessageId, String couponCode) {
        Map<String, String> values = new HashMap<String, String>();
        String locale = cart == null ? null : cart.getLocaleCode();
        values.put("storeName", storeName);
        values.put("link", links.url(plannedMessageId));
        values.put("coupon", couponCode);
        if (cart != null) {
            values.put("firstName", cart.getFirstName());
            int items = 0;
            for (CartLine line : cart.getLines()) {
                items += line.getQuantity();
            }
            values.put("itemCount", String.valueOf(items));
            BigDecimal total = cart.total();
            values.put("total", EmailRenderer.money(total, cart.getCurrencyCode(), locale(locale)));
        }
        return templates.compose(template, locale, values);
    }

    public SmsTemplates templates() {
        return templates;
    }

    @Override
    public Sender<SmsText> open() throws ChannelUnavailableException {
        if (!account.isEnabled()) {
            throw new ChannelUnavailableException("SMS is not enabled (cartrecovery.sms.enabled=false)");
        }
        return new TwilioSender(client, optOuts, statusCallbackBase);
    }

    @Override
    public void closeIdle() {
        client.close();
    }

    private static Locale locale(String code) {
        if (code == null || code.trim().isEmpty()) {
            return Locale.US;
        }
        String[] parts = code.trim().split("[_-]");
        return parts.length > 1 ? new Locale(parts[0], parts[1]) : new Locale(parts[0]);
    }

    /** What recipients() reads of one cart. */
    private static final class CartPhone {
        final String phone;
        final String consent;
        final Long siteId;
        final String localeCode;

        CartPhone(String phone, String consent, Long siteId, String localeCode) {
            this.phone = phone;
            this.consent = consent;
            this.siteId = siteId;
            this.localeCode = localeCode;
        }
    }
}
