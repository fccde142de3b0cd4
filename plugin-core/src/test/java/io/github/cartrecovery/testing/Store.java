package io.github.cartrecovery.testing;

import java.math.BigDecimal;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import javax.annotation.Resource;

import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.core.catalog.service.type.ProductType;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.OrderService;
import org.broadleafcommerce.core.order.service.call.OrderItemRequestDTO;
import org.broadleafcommerce.profile.core.domain.Customer;
import org.broadleafcommerce.profile.core.service.CustomerService;

/**
 * A few lines of Broadleaf to arrange tests the way a shopper would: products in the catalog, a cart,
 * items added through {@code OrderService}. Obtain it with {@code PluginContext.store()}.
 */
public final class Store {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Resource(name = "blCatalogService")
    private CatalogService catalogService;

    @Resource(name = "blOrderService")
    private OrderService orderService;

    @Resource(name = "blCustomerService")
    private CustomerService customerService;

    public Product product(String name, String price) {
        Sku sku = catalogService.createSku();
        sku.setName(name);
        sku.setRetailPrice(new Money(new BigDecimal(price)));
        sku.setActiveStartDate(new Date(System.currentTimeMillis() - 86_400_000L));
        sku.setDiscountable(true);
        Product product = catalogService.createProduct(ProductType.PRODUCT);
        product.setDefaultSku(sku);
        product.setName(name);
        product.setUrl("/products/" + name.toLowerCase().replaceAll("[^a-z0-9]+", "-") + "-" + SEQUENCE.incrementAndGet());
        product.setActiveStartDate(new Date(System.currentTimeMillis() - 86_400_000L));
        product.setDefaultSku(sku);
        sku.setDefaultProduct(product);
        return catalogService.saveProduct(product);
    }

    /** A new anonymous shopper; Broadleaf saves it when its first cart is created. */
    public Customer anonymousCustomer() {
        return customerService.createCustomerFromId(null);
    }

    public Order cartFor(Customer customer) {
        return orderService.createNewCartForCustomer(customer);
    }

    public Order cartWithEmail(String email) {
        Order cart = cartFor(anonymousCustomer());
        cart.setEmailAddress(email);
        try {
            return orderService.save(cart, false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Order add(Order cart, Product product, int quantity) {
        try {
            return orderService.addItem(cart.getId(),
                    new OrderItemRequestDTO(product.getId(), product.getDefaultSku().getId(), quantity), true);
        } catch (Exception e) {
            throw new IllegalStateException("could not add " + product.getName() + " to cart " + cart.getId(), e);
        }
    }

    public OrderService orders() {
        return orderService;
    }
}
