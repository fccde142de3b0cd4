package io.github.cartrecovery.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

class ExampleDefaultsWarningTest {

    private final Log log = mock(Log.class);

    @Test
    void warnsAtStartUpForEachSettingStillOnItsExampleDefault() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("cartrecovery.links.base-url", "https://shop.example.com");
        settings.put("cartrecovery.delivery.from-address", "shop@example.com");
        settings.put("cartrecovery.delivery.message-id-domain", "cartrecovery.example.com");

        new ExampleDefaultsWarning(settings, log).afterPropertiesSet();

        verify(log).warn("Cart Recovery: cartrecovery.links.base-url is still the example default (https://shop.example.com);"
                + " set it to your store's own value in your runtime properties before recovery emails go out"
                + " (docs/install.md, \"Properties\")");
        verify(log).warn(org.mockito.ArgumentMatchers.startsWith("Cart Recovery: cartrecovery.delivery.from-address is still"));
        verify(log).warn(org.mockito.ArgumentMatchers.startsWith("Cart Recovery: cartrecovery.delivery.message-id-domain is still"));
    }

    @Test
    void staysQuietOnceTheStoreSetItsOwnValues() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("cartrecovery.links.base-url", "https://www.heatclinic.example.org");
        settings.put("cartrecovery.delivery.from-address", "orders@myexample.com");
        settings.put("cartrecovery.delivery.message-id-domain", "mail.heatclinic.example.org");

        new ExampleDefaultsWarning(settings, log).afterPropertiesSet();

        verify(log, never()).warn(anyString());
    }

    @Test
    void theShippedDefaultsAreAllReported() throws Exception {
        java.util.Properties defaults = new java.util.Properties();
        try (java.io.InputStream in = getClass().getResourceAsStream("/config/bc/cartrecovery/common.properties")) {
            defaults.load(in);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : new String[] {"cartrecovery.links.base-url", "cartrecovery.delivery.from-address",
                "cartrecovery.delivery.message-id-domain"}) {
            settings.put(name, defaults.getProperty(name));
        }

        assertThat(new ExampleDefaultsWarning(settings, log).warnings()).hasSize(3);
    }

    @Test
    void warnsWhileThePostalAddressOfTheEmailFooterIsTheShippedExample() throws Exception {
        java.util.Properties defaults = new java.util.Properties();
        try (java.io.InputStream in = getClass().getResourceAsStream("/config/bc/cartrecovery/common.properties")) {
            defaults.load(in);
        }
        Map<String, String> shipped = new LinkedHashMap<>();
        shipped.put("cartrecovery.email.postal-address", defaults.getProperty("cartrecovery.email.postal-address"));
        Map<String, String> own = new LinkedHashMap<>();
        own.put("cartrecovery.email.postal-address", "Heat Clinic, 5 Pepper Road, Austin, TX 78701, USA");

        assertThat(new ExampleDefaultsWarning(shipped, log).warnings()).singleElement().asString()
                .startsWith("Cart Recovery: cartrecovery.email.postal-address is still the example default");
        assertThat(new ExampleDefaultsWarning(own, log).warnings()).isEmpty();
    }
}
