package io.github.cartrecovery.campaign;

import java.util.Date;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Campaign steps (template, subjects, coupon policy) kept between delivery batches, so a batch does not
 * load its steps through JPA. An entry is used only while its campaign's UPDATED_AT (which delivery reads
 * with every batch, and {@link CampaignRepository#save} moves forward on every change) is the one it was
 * loaded with: a change saved on any node is picked up by the next batch on every node. Entries also
 * expire after a minute, for changes written around {@code save} (such as an edit of a step alone through
 * a generic admin screen). Thread-safe.
 */
public class CampaignStepCache {

    private static final long MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final CampaignRepository campaigns;
    private final ConcurrentMap<Long, Entry> steps = new ConcurrentHashMap<Long, Entry>();

    public CampaignStepCache(CampaignRepository campaigns) {
        this.campaigns = campaigns;
    }

    /** The step as of {@code campaignUpdatedAt}; null when it does not exist (any more). */
    public CampaignStep step(long stepId, Date campaignUpdatedAt) {
        long version = campaignUpdatedAt == null ? Long.MIN_VALUE : campaignUpdatedAt.getTime();
        Entry entry = steps.get(stepId);
        long nowNanos = System.nanoTime();
        if (entry != null && entry.campaignVersion == version && nowNanos - entry.loadedAtNanos < MAX_AGE_NANOS) {
            return entry.step;
        }
        CampaignStep step = campaigns.step(stepId);
        if (step == null) {
            steps.remove(stepId);
        } else {
            steps.put(stepId, new Entry(step, version, nowNanos));
        }
        return step;
    }

    /** Forgets every step (after a campaign change on this node; other nodes notice UPDATED_AT). */
    public void evictAll() {
        steps.clear();
    }

    private static final class Entry {
        final CampaignStep step;
        final long campaignVersion;
        final long loadedAtNanos;

        Entry(CampaignStep step, long campaignVersion, long loadedAtNanos) {
            this.step = step;
            this.campaignVersion = campaignVersion;
            this.loadedAtNanos = loadedAtNanos;
        }
    }
}
