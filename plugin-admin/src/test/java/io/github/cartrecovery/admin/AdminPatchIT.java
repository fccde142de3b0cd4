package io.github.cartrecovery.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.springframework.context.MessageSource;

import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/** The admin patch file merges into Broadleaf's admin root context next to the core patch file. */
@BroadleafWithPlugin(patches = {"bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml"})
class AdminPatchIT {

    @Test
    void adminLabelsJoinBroadleafsMessageSource(PluginContext broadleaf) {
        MessageSource messages = broadleaf.bean("messageSource", MessageSource.class);

        assertThat(messages.getMessage("cartRecovery.module", null, Locale.ENGLISH)).isEqualTo("Cart Recovery");
        // Broadleaf's own bundles are still there after the merge
        assertThat(messages.getMessage("Customer", null, "missing", Locale.ENGLISH)).isNotEqualTo("missing");
    }
}
