package com.example.heatcheck;

import java.math.BigDecimal;
import java.util.Date;

import javax.annotation.Resource;

import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.core.catalog.service.type.ProductType;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/** The site's catalog: one hot sauce, created at start-up (Heat Clinic loads its catalog with SQL at start-up). */
public class HotSauceCatalog implements ApplicationListener<ContextRefreshedEvent> {

    public static final String SAUCE = "Sudden Death Sauce";

    @Resource(name = "blCatalogService")
    private CatalogService catalogService;

    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        if (event.getApplicationContext().getParent() != null || !catalogService.findProductsByName(SAUCE).isEmpty()) {
            return;
        }
        Date yesterday = new Date(System.currentTimeMillis() - 86400000L);
        Sku sku = catalogService.createSku();
        sku.setName(SAUCE);
        sku.setRetailPrice(new Money(new BigDecimal("10.99")));
        sku.setActiveStartDate(yesterday);
        sku.setDiscountable(true);
        Product product = catalogService.createProduct(ProductType.PRODUCT);
        product.setDefaultSku(sku); // a 3.1 product keeps its name and dates on its default SKU
        product.setName(SAUCE);
        product.setUrl("/hot-sauces/sudden-death-sauce");
        product.setActiveStartDate(yesterday);
        sku.setDefaultProduct(product);
        catalogService.saveProduct(product);
    }
}
