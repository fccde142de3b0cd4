package io.github.cartrecovery.links;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/** The plugin has no default signing key: Broadleaf with the plugin and no key does not start, and says why. */
@BroadleafWithPlugin
class SigningKeyRequiredIT {

    @Test
    void broadleafDoesNotStartWithoutASigningKey(PluginContext broadleaf) {
        // another store in this JVM (shares the JMX server and cache manager with the test context)
        assertThatThrownBy(() -> broadleaf.bootAnotherStore(Collections.singletonList("bl-cartrecovery-applicationContext.xml"),
                Collections.singletonMap("cartrecovery.links.signing-keys", "")).close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cartrecovery.links.signing-keys is not set");
    }
}
