package io.github.cartrecovery.experiment.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.campaign.QuietHours;

/**
 * A cart abandoned at 08:00 in Berlin; the campaign sends after 4 hours (12:00), the operator also allows 1 hour
 * (09:00), 10 hours (18:00) and 14 hours (22:00).
 */
class SendTimeLearnerTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant ABANDONED = LocalDateTime.of(2026, 3, 10, 8, 0).atZone(BERLIN).toInstant();
    private static final int CAMPAIGN_DELAY = 240;
    private static final List<Integer> ALLOWED = Arrays.asList(60, 600, 840);
    private static final QuietHours NONE = QuietHours.none();
    private static final QuietHours NIGHTS = QuietHours.parse("21:00-08:00");

    private final SendTimeLearner learner = new SendTimeLearner(3);

    private static EngagementHours hours(Integer... localHours) {
        return EngagementHours.of(Arrays.asList(localHours));
    }

    private SendTimeChoice choose(EngagementHours shopper, EngagementHours segment, QuietHours quiet) {
        return learner.choose(ABANDONED, BERLIN, CAMPAIGN_DELAY, ALLOWED, shopper, segment, quiet::nextAllowed);
    }

    @Test
    void picksTheDelayThatSendsInTheHourTheShopperEngagedWithMost() {
        SendTimeChoice choice = choose(hours(18, 18, 18, 12), hours(9, 9, 9, 9, 9), NONE);

        assertThat(choice.getDelayMinutes()).isEqualTo(600);
        assertThat(choice.getLocalHour()).isEqualTo(18);
        assertThat(choice.getBasis()).isEqualTo(SendTimeChoice.Basis.SHOPPER);
        assertThat(choice.getSendAt()).isEqualTo(LocalDateTime.of(2026, 3, 10, 18, 0).atZone(BERLIN).toInstant());
    }

    @Test
    void fallsBackToTheSegmentWhileTheShopperHasTooFewEngagements() {
        SendTimeChoice choice = choose(hours(9, 9), hours(18, 18, 18, 9), NONE);

        assertThat(choice.getDelayMinutes()).isEqualTo(600);
        assertThat(choice.getBasis()).isEqualTo(SendTimeChoice.Basis.SEGMENT);
    }

    @Test
    void neverLandsInQuietHours() {
        EngagementHours lateReader = hours(22, 22, 22, 22, 22, 9, 9);

        SendTimeChoice withoutQuietHours = choose(lateReader, EngagementHours.none(), NONE);
        SendTimeChoice withQuietHours = choose(lateReader, EngagementHours.none(), NIGHTS);

        assertThat(withoutQuietHours.getLocalHour()).isEqualTo(22);
        assertThat(withQuietHours.getDelayMinutes()).isEqualTo(60);
        assertThat(withQuietHours.getLocalHour()).isEqualTo(9);
        assertThat(NIGHTS.contains(LocalTime.from(withQuietHours.getSendAt().atZone(BERLIN)))).isFalse();
    }

    @Test
    void scoresADelayByTheHourItReallySendsAfterQuietHours() {
        SendTimeChoice choice = choose(hours(8, 8, 8), EngagementHours.none(), NIGHTS);

        assertThat(choice.getDelayMinutes()).isEqualTo(840); // 22:00 is quiet: it goes at 08:00 the next morning
        assertThat(choice.getSendAt()).isEqualTo(LocalDateTime.of(2026, 3, 11, 8, 0).atZone(BERLIN).toInstant());
        assertThat(NIGHTS.contains(LocalTime.from(choice.getSendAt().atZone(BERLIN)))).isFalse();
    }

    @Test
    void withoutAnyEngagementKeepsTheCampaignDelay() {
        SendTimeChoice choice = choose(EngagementHours.none(), EngagementHours.none(), NONE);

        assertThat(choice.getDelayMinutes()).isEqualTo(CAMPAIGN_DELAY);
        assertThat(choice.getBasis()).isEqualTo(SendTimeChoice.Basis.CAMPAIGN);
        assertThat(choice.getLocalHour()).isEqualTo(12);
    }

    @Test
    void withEngagementOnlyAtHoursNoDelayReachesKeepsTheCampaignDelay() {
        assertThat(choose(hours(3, 3, 3), EngagementHours.none(), NONE).getDelayMinutes()).isEqualTo(CAMPAIGN_DELAY);
    }

    @Test
    void aTieBetweenOtherDelaysKeepsTheCampaignDelay() {
        SendTimeChoice choice = choose(hours(9, 9, 18, 18), EngagementHours.none(), NONE);

        assertThat(choice.getDelayMinutes()).isEqualTo(CAMPAIGN_DELAY);
        assertThat(choice.getBasis()).isEqualTo(SendTimeChoice.Basis.CAMPAIGN);
    }

    @Test
    void theCampaignDelayWinsATieItIsPartOf() {
        assertThat(choose(hours(12, 12, 18, 18), EngagementHours.none(), NONE).getDelayMinutes()).isEqualTo(CAMPAIGN_DELAY);
    }

    @Test
    void theSameHistoryGivesTheSameChoice() {
        SendTimeChoice first = choose(hours(18, 18, 9), hours(12), NIGHTS);
        SendTimeChoice second = choose(hours(18, 18, 9), hours(12), NIGHTS);

        assertThat(second).usingRecursiveComparison().isEqualTo(first);
    }

    @Test
    void badInputIsAnErrorNamingTheField() {
        assertThatThrownBy(() -> learner.choose(ABANDONED, BERLIN, 60, Collections.singletonList(-5), hours(),
                hours(), NONE::nextAllowed)).hasMessage("allowedDelayMinutes: a delay must be 0 minutes or more, not -5");
        assertThatThrownBy(() -> hours(24)).hasMessage("engagement hours must be between 0 and 23, not 24");
        assertThatThrownBy(() -> EngagementHours.ofCounts(new long[23]))
                .hasMessage("engagement counts must have one entry per hour (24)");
        assertThatThrownBy(() -> new SendTimeLearner(0)).hasMessageContaining("minimumShopperEngagements must be at least 1");
    }
}
