package io.github.cartrecovery.campaign;

import java.time.Instant;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.experiment.bandit.Segment;

/**
 * Splits a campaign's carts before they are planned: the experiment package's {@code ArmAssignments} assigns the cart
 * to an arm of the campaign's running experiment and records it. Declared here so planning needs nothing of the
 * experiment package (which builds on campaigns).
 */
public interface ArmChooser {

    /**
     * The arm the cart of {@code normalisedEmail} is in for {@code campaign}, recorded in the caller's (the planning)
     * transaction before any message is planned; {@link CartArm#CAMPAIGN} when the campaign runs no experiment.
     * {@code segment} is the cart's segment with the band of the shopper's local hour (a bandit learns per segment).
     */
    CartArm choose(JdbcTemplate jdbc, Campaign campaign, long orderId, String normalisedEmail, Segment segment,
                   Instant now);
}
