package io.github.cartrecovery.demo.store;

import org.broadleafcommerce.core.web.controller.catalog.BroadleafProductController;
import org.springframework.stereotype.Controller;

/**
 * Product pages: Broadleaf's ProductHandlerMapping finds the product by its URL and hands it to the bean named
 * blProductController, which renders catalog/product.
 */
@Controller("blProductController")
public class DemoProductController extends BroadleafProductController {
}
