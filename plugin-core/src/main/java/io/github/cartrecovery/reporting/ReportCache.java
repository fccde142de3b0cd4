package io.github.cartrecovery.reporting;

import net.sf.ehcache.Ehcache;
import net.sf.ehcache.Element;

/**
 * Host edge: computed reports in Broadleaf's Ehcache region {@code cartRecoveryReports}. Keys carry the
 * rollup version (CR_SETTING REPORT_VERSION), so a rollup change on any node makes every node's cached
 * reports unreachable at once; the node that changed the rollups also empties its region.
 */
public class ReportCache {

    private final Ehcache region;

    public ReportCache(Ehcache region) {
        if (region == null) {
            throw new IllegalArgumentException("the cache region cartRecoveryReports is missing: is bl-cartrecovery-ehcache.xml "
                    + "in blMergedCacheConfigLocations?");
        }
        this.region = region;
    }

    public RecoveryReport get(String key) {
        Element element = region.get(key);
        return element == null ? null : (RecoveryReport) element.getObjectValue();
    }

    public void put(String key, RecoveryReport report) {
        region.put(new Element(key, report));
    }

    public void evictAll() {
        region.removeAll();
    }

    public int size() {
        return region.getSize();
    }
}
