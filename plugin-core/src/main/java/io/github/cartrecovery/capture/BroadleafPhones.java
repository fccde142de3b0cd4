package io.github.cartrecovery.capture;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.broadleafcommerce.core.order.domain.FulfillmentGroup;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.payment.domain.OrderPayment;
import org.broadleafcommerce.profile.core.domain.Address;
import org.broadleafcommerce.profile.core.domain.Customer;
import org.broadleafcommerce.profile.core.domain.CustomerPhone;
import org.broadleafcommerce.profile.core.domain.Phone;
import org.hibernate.Hibernate;

/**
 * Host edge: the phone numbers Broadleaf 3.1 holds for a cart, as typed, most specific first: the shipping
 * addresses' phones (BLC_FULFILLMENT_GROUP.ADDRESS_ID -> BLC_ADDRESS.PHONE_PRIMARY_ID / PHONE_SECONDARY_ID -> BLC_PHONE,
 * or the deprecated BLC_ADDRESS.PRIMARY_PHONE column, which {@code Address.getPhonePrimary()} falls back to), the
 * billing addresses' phones (BLC_ORDER_PAYMENT.ADDRESS_ID), then the customer's active phones, the default one first
 * (BLC_CUSTOMER_PHONE -> BLC_PHONE). BLC_CUSTOMER itself has no phone column in 3.1.
 * <p>
 * On the shopper's thread ({@code load} false) a collection Broadleaf has not loaded in this request is skipped, so
 * reading phones adds no query to the shopper's request; reconciliation reads with {@code load} true. Never throws:
 * a failure (a detached lazy collection, say) is logged, throttled, and yields the numbers read so far.
 */
final class BroadleafPhones {

    private BroadleafPhones() {
    }

    static List<String> of(Order order, boolean load, ThrottledLog log) {
        List<String> phones = new ArrayList<String>();
        try {
            if (readable(order.getFulfillmentGroups(), load)) {
                for (FulfillmentGroup group : order.getFulfillmentGroups()) {
                    addAddress(phones, group.getAddress());
                }
            }
            if (readable(order.getPayments(), load)) {
                for (OrderPayment payment : order.getPayments()) {
                    if (payment.isActive()) {
                        addAddress(phones, payment.getBillingAddress());
                    }
                }
            }
            Customer customer = order.getCustomer();
            if (customer != null && readable(customer.getCustomerPhones(), load)) {
                addCustomerPhones(phones, customer.getCustomerPhones());
            }
        } catch (RuntimeException e) {
            log.warn("capture-phones:" + e.getClass().getName(), "Cart Recovery could not read the phone numbers of cart "
                    + order.getId() + " from Broadleaf (" + e.getClass().getName() + "); the cart is captured without them", null);
        }
        return phones;
    }

    private static boolean readable(Collection<?> collection, boolean load) {
        return collection != null && (load || Hibernate.isInitialized(collection));
    }

    private static void addAddress(List<String> phones, Address address) {
        if (address != null) {
            add(phones, address.getPhonePrimary());
            add(phones, address.getPhoneSecondary());
        }
    }

    private static void addCustomerPhones(List<String> phones, List<CustomerPhone> customerPhones) {
        for (CustomerPhone customerPhone : customerPhones) {
            Phone phone = customerPhone.getPhone();
            if (phone != null && phone.isDefault() && phone.isActive()) {
                add(phones, phone);
            }
        }
        for (CustomerPhone customerPhone : customerPhones) {
            Phone phone = customerPhone.getPhone();
            if (phone != null && !phone.isDefault() && phone.isActive()) {
                add(phones, phone);
            }
        }
    }

    private static void add(List<String> phones, Phone phone) {
        if (phone != null && phone.getPhoneNumber() != null && !phone.getPhoneNumber().trim().isEmpty()
                && !phones.contains(phone.getPhoneNumber())) {
            phones.add(phone.getPhoneNumber());
        }
    }
}
