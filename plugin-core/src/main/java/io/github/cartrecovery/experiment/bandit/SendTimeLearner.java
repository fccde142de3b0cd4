package io.github.cartrecovery.experiment.bandit;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Learned send time: among the delays the operator allows, the one whose send falls in the local hour the shopper
 * engaged with most (opens and clicks of earlier messages), or, while the shopper has fewer than
 * {@code minimumShopperEngagements}, the hour their segment engaged with most. Deterministic.
 *
 * <p>Quiet hours still win: each candidate's send is first moved out of quiet hours, and it is scored by the hour it
 * would really go out, so the choice never lands inside them. The campaign's own delay is always a candidate. With no
 * engagement at any candidate's hour, or two or more other delays tied for the most, the campaign's delay stays as it
 * is; if it is among the best it is kept.
 *
 * <p>Quiet hours come in as a function (pass {@code quietHours::nextAllowed} of {@code campaign.QuietHours}, or the
 * SMS quiet hours') so that this package depends on no other package of the plugin and the planner can call it.
 */
public final class SendTimeLearner {

    /** A shopper with fewer opens and clicks than this is judged by their segment's. */
    public static final int DEFAULT_MINIMUM_SHOPPER_ENGAGEMENTS = 3;

    private final int minimumShopperEngagements;

    public SendTimeLearner() {
        this(DEFAULT_MINIMUM_SHOPPER_ENGAGEMENTS);
    }

    public SendTimeLearner(int minimumShopperEngagements) {
        if (minimumShopperEngagements < 1) {
            throw new IllegalArgumentException("minimumShopperEngagements must be at least 1, not "
                    + minimumShopperEngagements);
        }
        this.minimumShopperEngagements = minimumShopperEngagements;
    }

    /**
     * @param from                 the moment the delays count from (the abandonment)
     * @param zone                 the shopper's time zone
     * @param campaignDelayMinutes the step's delay as the campaign has it
     * @param allowedDelayMinutes  the other delays the operator allows for the step
     * @param shopper              the shopper's own engagement hours
     * @param segment              their segment's engagement hours
     * @param nextAllowed          quiet hours: the given moment, or the first one after it outside quiet hours
     */
    public SendTimeChoice choose(Instant from, ZoneId zone, int campaignDelayMinutes, List<Integer> allowedDelayMinutes,
                                 EngagementHours shopper, EngagementHours segment,
                                 BiFunction<Instant, ZoneId, Instant> nextAllowed) {
        Set<Integer> delays = new LinkedHashSet<Integer>();
        delays.add(checked(campaignDelayMinutes, "campaignDelayMinutes"));
        for (Integer delay : allowedDelayMinutes) {
            delays.add(checked(delay, "allowedDelayMinutes"));
        }
        SendTimeChoice.Basis basis = shopper.total() >= minimumShopperEngagements ? SendTimeChoice.Basis.SHOPPER
                : segment.total() > 0 ? SendTimeChoice.Basis.SEGMENT : SendTimeChoice.Basis.CAMPAIGN;
        EngagementHours history = basis == SendTimeChoice.Basis.SHOPPER ? shopper : segment;

        SendTimeChoice campaign = candidate(from, zone, campaignDelayMinutes, nextAllowed, SendTimeChoice.Basis.CAMPAIGN);
        if (basis == SendTimeChoice.Basis.CAMPAIGN) {
            return campaign;
        }
        long bestScore = 0;
        List<SendTimeChoice> best = new ArrayList<SendTimeChoice>();
        for (int delay : delays) {
            SendTimeChoice choice = candidate(from, zone, delay, nextAllowed, basis);
            long score = history.at(choice.getLocalHour());
            if (score > bestScore) {
                bestScore = score;
                best.clear();
            }
            if (score == bestScore && score > 0) {
                best.add(choice);
            }
        }
        if (best.isEmpty()) {
            return campaign;
        }
        for (SendTimeChoice choice : best) {
            if (choice.getDelayMinutes() == campaignDelayMinutes) {
                return choice;
            }
        }
        return best.size() == 1 ? best.get(0) : campaign;
    }

    private static SendTimeChoice candidate(Instant from, ZoneId zone, int delayMinutes,
                                            BiFunction<Instant, ZoneId, Instant> nextAllowed,
                                            SendTimeChoice.Basis basis) {
        Instant sendAt = nextAllowed.apply(from.plusSeconds(delayMinutes * 60L), zone);
        return new SendTimeChoice(delayMinutes, sendAt, sendAt.atZone(zone).getHour(), basis);
    }

    private static int checked(Integer delay, String field) {
        if (delay == null || delay < 0) {
            throw new IllegalArgumentException(field + ": a delay must be 0 minutes or more, not " + delay);
        }
        return delay;
    }
}
