package io.github.cartrecovery.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The plugin's shipped settings (config/bc/cartrecovery/common.properties). */
final class Defaults {

    private Defaults() {
    }

    static String property(String name) {
        Properties properties = new Properties();
        try (InputStream in = Defaults.class.getResourceAsStream("/config/bc/cartrecovery/common.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String value = properties.getProperty(name);
        if (value == null) {
            throw new IllegalArgumentException("no default for " + name);
        }
        return value;
    }
}
