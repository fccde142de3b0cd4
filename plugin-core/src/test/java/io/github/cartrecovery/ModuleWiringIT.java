package io.github.cartrecovery;

import static org.assertj.core.api.Assertions.assertThat;

import javax.persistence.EntityManagerFactory;

import net.sf.ehcache.CacheManager;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.capture.CapturedCart;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/** The plugin registers itself with the host the Broadleaf way: persistence unit, cache regions, properties. */
@BroadleafWithPlugin
class ModuleWiringIT {

    @Test
    void entitiesAreMergedIntoBroadleafsPersistenceUnit(PluginContext broadleaf) {
        EntityManagerFactory blPU = broadleaf.bean("entityManagerFactory", EntityManagerFactory.class);
        assertThat(blPU.getMetamodel().entity(CapturedCart.class)).isNotNull();
    }

    @Test
    void cacheRegionsAreMergedIntoBroadleafsCacheManager(PluginContext broadleaf) {
        CacheManager cacheManager = broadleaf.bean("blCacheManager", CacheManager.class);
        // only regions the plugin uses (campaign steps live in CampaignStepCache, see bl-cartrecovery-ehcache.xml)
        assertThat(cacheManager.getCacheNames()).filteredOn(name -> name.startsWith("cartRecovery"))
                .containsExactly("cartRecoveryReports");
    }

    @Test
    void pluginPropertiesResolveFromItsCommonProperties(PluginContext broadleaf) {
        // the harness overrides the flush interval to 0; migrate-on-startup comes from config/bc/cartrecovery
        Object liquibase = broadleaf.context().getBean("crLiquibase");
        assertThat(liquibase).hasFieldOrPropertyWithValue("shouldRun", true);
    }
}
