package io.github.cartrecovery.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.Collections;
import java.util.Date;

import org.junit.jupiter.api.Test;

class CampaignStepCacheTest {

    private final CampaignRepository repository = mock(CampaignRepository.class);
    private final CampaignStepCache cache = new CampaignStepCache(repository);
    private final CampaignStep first = new CampaignStep(1L, 1, 60, "gentle-reminder", Collections.singletonMap("*", "Old"));
    private final CampaignStep changed = new CampaignStep(1L, 1, 60, "gentle-reminder", Collections.singletonMap("*", "New"));

    @Test
    void loadsAStepOnceWhileItsCampaignIsUnchanged() {
        when(repository.step(1L)).thenReturn(first);
        Date version = new Date(1000);
        assertThat(cache.step(1L, version)).isSameAs(first);
        assertThat(cache.step(1L, new Date(1000))).isSameAs(first);
        verify(repository, times(1)).step(1L);
    }

    @Test
    void reloadsTheStepWhenItsCampaignWasSavedSince() {
        when(repository.step(1L)).thenReturn(first, changed);
        assertThat(cache.step(1L, new Date(1000)).subjectFor(null)).isEqualTo("Old");
        assertThat(cache.step(1L, new Date(1001)).subjectFor(null)).isEqualTo("New");
    }

    @Test
    void savingMovesTheCampaignsVersionForwardEvenWithinOneClockTick() {
        Instant now = Instant.parse("2026-01-05T10:00:00Z");
        Campaign campaign = new Campaign(1L, "c", CampaignStatus.ENABLED, 0, now);
        campaign.touch(now);
        Date once = campaign.getUpdatedAt();
        campaign.touch(now);
        assertThat(campaign.getUpdatedAt()).isAfter(once);
    }
}
