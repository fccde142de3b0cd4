package io.github.cartrecovery.campaign;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How the planner plans one cart of a campaign: as the campaign says ({@link #CAMPAIGN}), not at all (an experiment's
 * holdout), or with an experiment arm's steps left out, delayed differently or sent on another channel. The arm's
 * subject, template and coupon are applied at send time, by delivery. Immutable.
 */
public final class CartArm {

    /** No experiment: every step as the campaign has it. */
    public static final CartArm CAMPAIGN = new CartArm(null, false, Collections.<Integer>emptySet(),
            Collections.<Integer, Integer>emptyMap(), Collections.<Integer, String>emptyMap());

    private final Long armId;
    private final boolean heldOut;
    private final Set<Integer> omittedSteps;
    private final Map<Integer, Integer> delays;
    private final Map<Integer, String> channels;

    private CartArm(Long armId, boolean heldOut, Set<Integer> omittedSteps, Map<Integer, Integer> delays,
                    Map<Integer, String> channels) {
        this.armId = armId;
        this.heldOut = heldOut;
        this.omittedSteps = omittedSteps;
        this.delays = delays;
        this.channels = channels;
    }

    /** The holdout arm {@code armId}: the cart gets no message on any channel. */
    public static CartArm heldOut(long armId) {
        return new CartArm(armId, true, Collections.<Integer>emptySet(), Collections.<Integer, Integer>emptyMap(),
                Collections.<Integer, String>emptyMap());
    }

    /**
     * A treated arm: the steps (by number) it leaves out, and its delays and channels per step number where they
     * differ from the campaign's.
     */
    public static CartArm treated(long armId, Set<Integer> omittedSteps, Map<Integer, Integer> delays,
                                  Map<Integer, String> channels) {
        return new CartArm(armId, false, Collections.unmodifiableSet(new HashSet<Integer>(omittedSteps)),
                Collections.unmodifiableMap(new HashMap<Integer, Integer>(delays)),
                Collections.unmodifiableMap(new HashMap<Integer, String>(channels)));
    }

    /** The experiment arm (CR_PLANNED_MESSAGE.ARM_ID), or null outside experiments. */
    public Long getArmId() {
        return armId;
    }

    public boolean isHeldOut() {
        return heldOut;
    }

    /** Whether the step gets a message in this arm. */
    public boolean plans(CampaignStep step) {
        return !heldOut && !omittedSteps.contains(step.getStepNo());
    }

    public int delayMinutes(CampaignStep step) {
        Integer delay = delays.get(step.getStepNo());
        return delay == null ? step.getDelayMinutes() : delay;
    }

    public String channel(CampaignStep step) {
        String channel = channels.get(step.getStepNo());
        return channel == null ? step.getChannel() : channel;
    }
}
