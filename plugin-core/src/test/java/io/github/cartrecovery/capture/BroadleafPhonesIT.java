package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;

import javax.annotation.Resource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.FulfillmentGroup;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.FulfillmentGroupService;
import org.broadleafcommerce.profile.core.domain.Address;
import org.broadleafcommerce.profile.core.domain.Customer;
import org.broadleafcommerce.profile.core.domain.CustomerPhone;
import org.broadleafcommerce.profile.core.domain.Phone;
import org.broadleafcommerce.profile.core.service.AddressService;
import org.broadleafcommerce.profile.core.service.CustomerPhoneService;
import org.broadleafcommerce.profile.core.service.CustomerService;
import org.broadleafcommerce.profile.core.service.PhoneService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.CartRows;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;

/**
 * Phone numbers Broadleaf holds for a cart (checkout address, customer phones) reach the captured cart through the
 * same doors as its email, in E.164, and never with SMS consent.
 */
@BroadleafWithPlugin
class BroadleafPhonesIT {

    @Resource(name = "crCaptureBuffer") CaptureBuffer buffer;
    @Resource(name = "crCapturedCartStore") CapturedCartStore captured;
    @Resource(name = "crCaptureReconciliation") CaptureReconciliation reconciliation;
    @Resource(name = "crCaptureRejections") CaptureRejections rejections;
    @Resource(name = "crPluginSettings") io.github.cartrecovery.state.PluginSettings settings;
    @Resource(name = "blFulfillmentGroupService") FulfillmentGroupService fulfillmentGroups;
    @Resource(name = "blAddressService") AddressService addresses;
    @Resource(name = "blPhoneService") PhoneService phones;
    @Resource(name = "blCustomerPhoneService") CustomerPhoneService customerPhones;
    @Resource(name = "blCustomerService") CustomerService customers;
    @Resource(name = "blTransactionManager") PlatformTransactionManager transactionManager;

    Store store;
    Product mug;
    CartRows rows;

    @BeforeEach
    void arrange(PluginContext broadleaf) {
        store = broadleaf.store();
        mug = store.product("Enamel Mug", "12.50");
        rows = new CartRows(broadleaf.database().dataSource());
        buffer.flush();
    }

    @Test
    void theCheckoutAddressPhoneIsCapturedInE164WithoutSmsConsent() throws Exception {
        Order cart = store.add(store.cartWithEmail("address-phone@example.com"), mug, 1);

        shipTo(cart, "+1 (201) 555-0123");
        // Broadleaf publishes no event when only the address changed (the order row is not dirty): the cart's next
        // published change (repricing, an item, the submit) carries it
        store.add(cart, mug, 1);
        buffer.flush();

        CapturedCart record = captured.find(cart.getId());
        assertThat(record.getPhone()).isEqualTo("+12015550123");
        assertThat(record.getSmsConsent()).isEqualTo(SmsConsent.UNKNOWN);
        assertThat(record.getSmsConsentAt()).isNull();
    }

    @Test
    void aBroadleafPhoneNoColumnCanHoldIsLeftOutAndRecordedMasked() throws Exception {
        Order cart = store.add(store.cartWithEmail("bad-phone@example.com"), mug, 1);

        shipTo(cart, "+1 201 555 0123 ask for Jane");
        store.add(cart, mug, 1);
        buffer.flush();

        assertThat(captured.find(cart.getId()).getPhone()).isNull();
        assertThat(captured.find(cart.getId()).getEmail()).isEqualTo("bad-phone@example.com");
        assertThat(rejections.latest(0, 10_000)).anySatisfy(rejection -> {
            assertThat(rejection.getOrderId()).isEqualTo(cart.getId());
            assertThat(rejection.getField()).isEqualTo("phone");
            assertThat(rejection.getReason()).isEqualTo("characters");
            assertThat(rejection.getMaskedValue()).isEqualTo("+1***23");
        });
    }

    @Test
    void reconciliationCapturesTheCustomersDefaultPhoneOfALostCart() {
        Order cart = store.cartFor(store.anonymousCustomer());
        Customer customer = customers.readCustomerById(cart.getCustomer().getId());
        addPhone(customer, "work", "+44 121 234 5678", false);
        addPhone(customer, "mobile", "+44 7400 123456", true);
        cart = store.add(cart, mug, 1);
        buffer.flush();
        rows.execute("DELETE FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID = " + cart.getId());
        rows.execute("DELETE FROM CR_CAPTURED_CART WHERE ORDER_ID = " + cart.getId());

        reconcileEverything();

        CapturedCart record = captured.find(cart.getId());
        assertThat(record.getPhone()).as("the default, textable number").isEqualTo("+447400123456");
        assertThat(record.getSmsConsent()).isEqualTo(SmsConsent.UNKNOWN);
    }

    private void shipTo(Order cart, String phoneNumber) {
        new TransactionTemplate(transactionManager).execute(status -> {
            try {
                shipInTransaction(cart, phoneNumber);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    private void shipInTransaction(Order cart, String phoneNumber) throws Exception {
        Order current = store.orders().findOrderById(cart.getId());
        Phone phone = phones.create();
        phone.setPhoneNumber(phoneNumber);
        Address address = addresses.create();
        address.setFirstName("Jane");
        address.setLastName("Doe");
        address.setAddressLine1("1 Main Street");
        address.setCity("Springfield");
        address.setPostalCode("12345");
        address.setPhonePrimary(phone);
        FulfillmentGroup shipping = fulfillmentGroups.getFirstShippableFulfillmentGroup(current);
        if (shipping == null) {
            shipping = fulfillmentGroups.createEmptyFulfillmentGroup();
            shipping.setOrder(current);
            current.getFulfillmentGroups().add(shipping);
        }
        shipping.setAddress(address);
        store.orders().save(current, true);
    }

    private void addPhone(Customer customer, String name, String number, boolean isDefault) {
        Phone phone = phones.create();
        phone.setPhoneNumber(number);
        phone.setDefault(isDefault);
        phone.setActive(true);
        CustomerPhone customerPhone = customerPhones.create();
        customerPhone.setPhoneName(name);
        customerPhone.setPhone(phone);
        customerPhone.setCustomer(customer);
        customerPhones.saveCustomerPhone(customerPhone);
    }

    private void reconcileEverything() {
        settings.write(CaptureReconciliation.ORDER_CURSOR, "0");
        settings.write(CaptureReconciliation.CART_CURSOR, "0");
        boolean ordersDone = false;
        boolean cartsDone = false;
        for (int runs = 1; !(ordersDone && cartsDone); runs++) {
            if (runs > 10_000) {
                throw new AssertionError("reconciliation never wrapped around");
            }
            reconciliation.run();
            ordersDone |= "0".equals(settings.read(CaptureReconciliation.ORDER_CURSOR));
            cartsDone |= "0".equals(settings.read(CaptureReconciliation.CART_CURSOR));
        }
    }
}
