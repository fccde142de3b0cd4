package io.github.cartrecovery.capture;

import java.time.Clock;

import org.broadleafcommerce.core.order.domain.NullOrderImpl;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.OrderService;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.broadleafcommerce.core.pricing.service.exception.PricingException;

/**
 * Host edge for the storefront's guest email capture: attaches a shopper-typed address to the shopper's
 * open Broadleaf cart (so Broadleaf's checkout and the plugin both know it) and records what the shopper
 * said about marketing email on the plugin's {@link CapturedCart}.
 * <p>
 * Guarantees: nothing is written unless the address is valid and the cart exists and is open; consent
 * is GRANTED only when the shopper gave it, DENIED only when the shopper said no, UNKNOWN otherwise (an
 * earlier GRANTED is not carried over to a capture that did not repeat it). Database work on the
 * shopper's request: one lookup of the order (served by the request's persistence context in a site
 * with open-entity-manager-in-view) and one order update when the address changed; the plugin's own
 * record (new address through Broadleaf's order event, consent offered here) is written later by the
 * {@link CaptureBuffer}.
 */
public class GuestEmailCapture {

    /** What happened; the endpoint answers each with a status but never says whether an address was known. */
    public enum Result { CAPTURED, NO_CART, CART_NOT_OPEN }

    private final OrderService orderService;
    private final EmailAddressValidator validator;
    private final CaptureBuffer buffer;
    private final Clock clock;

    public GuestEmailCapture(OrderService orderService, EmailAddressValidator validator, CaptureBuffer buffer,
                             Clock clock) {
        this.orderService = orderService;
        this.validator = validator;
        this.buffer = buffer;
        this.clock = clock;
    }

    /**
     * The address as it would be stored, without looking anything up or writing anything.
     *
     * @throws InvalidEmailAddressException naming the rule the address broke
     */
    public String check(String email) {
        return validator.normalise(email);
    }

    /**
     * @param cart    the shopper's current cart as the host resolved it (may be null or a NullOrderImpl)
     * @param email   the address as typed
     * @param consent TRUE when the shopper ticked the consent box, FALSE for an explicit no, null when not asked
     * @throws InvalidEmailAddressException before anything is looked up or written
     */
    public Result capture(Order cart, String email, Boolean consent) {
        String address = validator.normalise(email);
        if (cart == null || cart instanceof NullOrderImpl || cart.getId() == null) {
            return Result.NO_CART;
        }
        // Re-read: the request's cart may have been deleted (merged, purged) since the filter resolved it,
        // and saving a deleted order would bring it back.
        Order current = orderService.findOrderById(cart.getId());
        if (current == null) {
            return Result.NO_CART;
        }
        if (!OrderStatus.IN_PROCESS.equals(current.getStatus())) {
            return Result.CART_NOT_OPEN;
        }
        if (!address.equals(current.getEmailAddress())) {
            current.setEmailAddress(address);
            try {
                // Broadleaf publishes OrderPersistedEvent for this save; OrderEventCapture buffers the new address.
                current = orderService.save(current, false);
            } catch (PricingException e) {
                throw new IllegalStateException("Broadleaf could not save cart " + cart.getId(), e);
            }
        }
        buffer.offerConsent(new ConsentObservation(current.getId(), consentOf(consent), clock.instant()));
        return Result.CAPTURED;
    }

    static MarketingConsent consentOf(Boolean shopperSaid) {
        if (shopperSaid == null) {
            return MarketingConsent.UNKNOWN;
        }
        return shopperSaid ? MarketingConsent.GRANTED : MarketingConsent.DENIED;
    }
}
