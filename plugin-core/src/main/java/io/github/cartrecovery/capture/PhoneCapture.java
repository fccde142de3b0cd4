package io.github.cartrecovery.capture;

import java.time.Clock;

import org.broadleafcommerce.core.order.domain.NullOrderImpl;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.OrderService;
import org.broadleafcommerce.core.order.service.type.OrderStatus;

import io.github.cartrecovery.phone.InvalidPhoneNumberException;
import io.github.cartrecovery.phone.PhoneNumbers;

/**
 * Host edge for a phone number the shopper typed next to an SMS consent box (the capture endpoint's {@code phone}
 * and {@code smsConsent}), and the explicit API for a store that asks for SMS consent its own way (bean
 * {@code crPhoneCapture}). Records the number (E.164) and what the shopper said about texts on the plugin's
 * {@link CapturedCart}; Broadleaf's order is not changed (it has no phone of its own).
 * <p>
 * Guarantees: nothing is written unless the number is valid and textable ({@link PhoneNumbers}) and the cart exists and
 * is open. SMS consent is GRANTED only when the shopper gave it for this number, DENIED when the shopper said no
 * (also without a number: a withdrawal keeps the cart's number and stops texts to it), UNKNOWN when a number came
 * without a statement (an earlier grant is not carried over). Marketing email consent is never touched. One order
 * lookup on the shopper's request; the record is written later by the {@link CaptureBuffer}.
 */
public class PhoneCapture {

    private final OrderService orderService;
    private final PhoneNumbers phoneNumbers;
    private final CaptureBuffer buffer;
    private final Clock clock;

    public PhoneCapture(OrderService orderService, PhoneNumbers phoneNumbers, CaptureBuffer buffer, Clock clock) {
        this.orderService = orderService;
        this.phoneNumbers = phoneNumbers;
        this.buffer = buffer;
        this.clock = clock;
    }

    /**
     * Checks what the shopper sent without writing anything.
     *
     * @param cart       the shopper's cart (its locale's country is where a number without country code is read)
     * @param phone      the number as typed; null or blank for none
     * @param smsConsent TRUE when the SMS box is ticked, FALSE for an explicit no (or unticking), null when not asked
     * @return the number in E.164, or null when none was given (a withdrawal)
     * @throws InvalidPhoneNumberException naming the rule broken: no number with {@code smsConsent} TRUE
     *         ({@code REQUIRED_FOR_CONSENT}), neither a number nor a statement ({@code REQUIRED}), or a bad number
     */
    public String check(Order cart, String phone, Boolean smsConsent) {
        if (phone == null || phone.trim().isEmpty()) {
            if (Boolean.TRUE.equals(smsConsent)) {
                throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Rule.REQUIRED_FOR_CONSENT);
            }
            if (smsConsent == null) {
                throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Rule.REQUIRED);
            }
            return null;
        }
        return phoneNumbers.normalise(phone, regionOf(cart));
    }

    /**
     * Records the number and the statement on the cart (see {@link #check} for the parameters).
     *
     * @throws InvalidPhoneNumberException before anything is looked up or written
     */
    public GuestEmailCapture.Result capture(Order cart, String phone, Boolean smsConsent) {
        String e164 = check(cart, phone, smsConsent);
        if (cart == null || cart instanceof NullOrderImpl || cart.getId() == null) {
            return GuestEmailCapture.Result.NO_CART;
        }
        Order current = orderService.findOrderById(cart.getId());
        if (current == null) {
            return GuestEmailCapture.Result.NO_CART;
        }
        if (!OrderStatus.IN_PROCESS.equals(current.getStatus())) {
            return GuestEmailCapture.Result.CART_NOT_OPEN;
        }
        buffer.offerConsent(new SmsConsentObservation(current.getId(), e164, consentOf(smsConsent), clock.instant()));
        return GuestEmailCapture.Result.CAPTURED;
    }

    static SmsConsent consentOf(Boolean shopperSaid) {
        if (shopperSaid == null) {
            return SmsConsent.UNKNOWN;
        }
        return shopperSaid ? SmsConsent.GRANTED : SmsConsent.DENIED;
    }

    private static String regionOf(Order cart) {
        try {
            return cart == null || cart.getLocale() == null ? null : PhoneNumbers.regionOfLocale(cart.getLocale().getLocaleCode());
        } catch (RuntimeException e) {
            return null; // a NullOrderImpl or a detached cart: the default region applies
        }
    }
}
