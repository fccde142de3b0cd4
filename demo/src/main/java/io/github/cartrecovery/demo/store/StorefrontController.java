package io.github.cartrecovery.demo.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import javax.annotation.Resource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

/** The product list (home page). Product pages are Broadleaf's: {@link DemoProductController}. */
@Controller
public class StorefrontController {

    @Resource(name = "blCatalogService")
    private CatalogService catalogService;

    @RequestMapping(value = "/", method = RequestMethod.GET)
    public String products(Model model) {
        List<Product> products = new ArrayList<Product>();
        for (Product product : catalogService.findAllProducts()) {
            if (product.isActive()) {
                products.add(product);
            }
        }
        Collections.sort(products, new Comparator<Product>() {
            @Override
            public int compare(Product a, Product b) {
                return a.getName().compareToIgnoreCase(b.getName());
            }
        });
        model.addAttribute("products", products);
        return "store/products";
    }
}
