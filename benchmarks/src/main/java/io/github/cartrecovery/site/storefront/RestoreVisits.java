package io.github.cartrecovery.site.storefront;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;

import io.github.cartrecovery.testing.PluginContext;

/**
 * The experiments benchmark's shoppers coming back (in this package for the storefront test harness
 * {@link Storefront}): a restore link opened on another device goes through Broadleaf's request, customer and cart
 * filters and the plugin's real restore endpoint, which copies the abandoned cart into the visitor's own cart.
 */
public final class RestoreVisits implements AutoCloseable {

    private final Storefront site;

    public RestoreVisits(PluginContext broadleaf) {
        this.site = new Storefront(broadleaf);
    }

    /**
     * Opens the restore link in a fresh browser session and returns the id of the visitor's cart it filled.
     *
     * @throws IllegalStateException when the endpoint does not answer with the redirect to the cart
     */
    public long open(String restoreUrl) throws Exception {
        MockHttpSession device = Storefront.newDevice();
        MockHttpServletResponse response = site.perform(get(Storefront.path(restoreUrl)).session(device));
        if (response.getStatus() != 302) {
            throw new IllegalStateException("the restore link answered " + response.getStatus() + ", not the redirect "
                    + "to the cart: " + response.getContentAsString());
        }
        return site.seenBy(device).cart.getId();
    }

    @Override
    public void close() {
        site.close();
    }
}
