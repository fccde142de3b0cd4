package io.github.cartrecovery.experiment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An experiment on a campaign's carts (CR_EXPERIMENT): its arms, the share held out, the salt its assignment is keyed
 * by, and what the operator wants to detect (significance level, power, expected control conversion, relative lift) for
 * the planned sample size. Immutable; {@link Experiments} reads and writes it. Id, salt and times are null until saved.
 */
public final class Experiment {

    public static final BigDecimal DEFAULT_ALPHA = new BigDecimal("0.05");
    public static final BigDecimal DEFAULT_POWER = new BigDecimal("0.8");
    /** A bandit's default exploration floor: each treated arm gets at least 5% of the treated carts. */
    public static final BigDecimal DEFAULT_EXPLORATION_FLOOR = new BigDecimal("0.05");

    private final Long id;
    private final long campaignId;
    private final String name;
    private final ExperimentStatus status;
    private final BigDecimal holdoutPercent;
    private final String salt;
    private final BigDecimal alpha;
    private final BigDecimal power;
    private final BigDecimal baselineRate;
    private final BigDecimal minDetectableEffect;
    private final Instant startedAt;
    private final Instant endedAt;
    private final Long winnerArmId;
    private final List<ExperimentArm> arms;
    private final Allocation allocation;
    private final BigDecimal explorationFloor;
    private final Integer maxDiscountPercent;
    private final Instant frozenAt;

    /** A FIXED experiment. */
    public Experiment(Long id, long campaignId, String name, ExperimentStatus status, BigDecimal holdoutPercent,
                      String salt, BigDecimal alpha, BigDecimal power, BigDecimal baselineRate,
                      BigDecimal minDetectableEffect, Instant startedAt, Instant endedAt, Long winnerArmId,
                      List<ExperimentArm> arms) {
        this(id, campaignId, name, status, holdoutPercent, salt, alpha, power, baselineRate, minDetectableEffect,
                startedAt, endedAt, winnerArmId, arms, Allocation.FIXED, DEFAULT_EXPLORATION_FLOOR, null, null);
    }

    /**
     * @param explorationFloor   BANDIT: the least share of the treated carts each arm gets (0 to below 1)
     * @param maxDiscountPercent BANDIT: an arm whose coupon takes more off is never chosen (null = no maximum)
     * @param frozenAt           BANDIT: when the operator froze its shares, or null while it learns
     */
    public Experiment(Long id, long campaignId, String name, ExperimentStatus status, BigDecimal holdoutPercent,
                      String salt, BigDecimal alpha, BigDecimal power, BigDecimal baselineRate,
                      BigDecimal minDetectableEffect, Instant startedAt, Instant endedAt, Long winnerArmId,
                      List<ExperimentArm> arms, Allocation allocation, BigDecimal explorationFloor,
                      Integer maxDiscountPercent, Instant frozenAt) {
        this.id = id;
        this.campaignId = campaignId;
        this.name = name;
        this.status = status;
        this.holdoutPercent = holdoutPercent;
        this.salt = salt;
        this.alpha = alpha;
        this.power = power;
        this.baselineRate = baselineRate;
        this.minDetectableEffect = minDetectableEffect;
        this.startedAt = startedAt;
        this.endedAt = endedAt;
        this.winnerArmId = winnerArmId;
        this.arms = Collections.unmodifiableList(new ArrayList<ExperimentArm>(arms));
        this.allocation = allocation == null ? Allocation.FIXED : allocation;
        this.explorationFloor = explorationFloor == null ? DEFAULT_EXPLORATION_FLOOR : explorationFloor;
        this.maxDiscountPercent = maxDiscountPercent;
        this.frozenAt = frozenAt;
    }

    /**
     * A new DRAFT with the default significance level and power and no planned sample size. A holdout arm is added
     * when {@code holdoutPercent} is above 0 and the arms have none.
     */
    public static Experiment draft(long campaignId, String name, BigDecimal holdoutPercent, ExperimentArm... arms) {
        List<ExperimentArm> list = new ArrayList<ExperimentArm>();
        Collections.addAll(list, arms);
        return new Experiment(null, campaignId, name, ExperimentStatus.DRAFT, holdoutPercent, null, DEFAULT_ALPHA,
                DEFAULT_POWER, null, null, null, null, null, list);
    }

    /** The same with the planned sample size's inputs. */
    public Experiment withPlan(BigDecimal significance, BigDecimal wantedPower, BigDecimal expectedControlRate,
                               BigDecimal relativeLift) {
        return new Experiment(id, campaignId, name, status, holdoutPercent, salt, significance, wantedPower,
                expectedControlRate, relativeLift, startedAt, endedAt, winnerArmId, arms, allocation, explorationFloor,
                maxDiscountPercent, frozenAt);
    }

    /** The same, split FIXED by the arms' weights. */
    public Experiment fixed() {
        return new Experiment(id, campaignId, name, status, holdoutPercent, salt, alpha, power, baselineRate,
                minDetectableEffect, startedAt, endedAt, winnerArmId, arms, Allocation.FIXED, explorationFloor,
                maxDiscountPercent, frozenAt);
    }

    /**
     * The same, split by a bandit with this exploration floor (null = the default) and maximum discount (null = none).
     */
    public Experiment withBandit(BigDecimal floor, Integer maxDiscount) {
        return new Experiment(id, campaignId, name, status, holdoutPercent, salt, alpha, power, baselineRate,
                minDetectableEffect, startedAt, endedAt, winnerArmId, arms, Allocation.BANDIT, floor, maxDiscount,
                frozenAt);
    }

    /** The same arms and design with other arms (e.g. a holdout arm added). */
    Experiment withArms(List<ExperimentArm> otherArms) {
        return new Experiment(id, campaignId, name, status, holdoutPercent, salt, alpha, power, baselineRate,
                minDetectableEffect, startedAt, endedAt, winnerArmId, otherArms, allocation, explorationFloor,
                maxDiscountPercent, frozenAt);
    }

    /** A BANDIT whose shares the operator froze. */
    public boolean isFrozen() {
        return allocation == Allocation.BANDIT && frozenAt != null;
    }

    /** The arm with this id, or null. */
    public ExperimentArm arm(long armId) {
        for (ExperimentArm arm : arms) {
            if (arm.getId() != null && arm.getId() == armId) {
                return arm;
            }
        }
        return null;
    }

    /** The arm with this key, or null. */
    public ExperimentArm arm(String key) {
        for (ExperimentArm arm : arms) {
            if (arm.getKey() != null && arm.getKey().equals(key)) {
                return arm;
            }
        }
        return null;
    }

    public Long getId() { return id; }
    public long getCampaignId() { return campaignId; }
    public String getName() { return name; }
    public ExperimentStatus getStatus() { return status; }
    /** Share of the carts that get no message, 0 to 50. */
    public BigDecimal getHoldoutPercent() { return holdoutPercent; }
    /** The per-experiment random key of the assignment's HMAC (hex). */
    public String getSalt() { return salt; }
    public BigDecimal getAlpha() { return alpha; }
    public BigDecimal getPower() { return power; }
    /** The control's expected conversion rate, for the planned sample size; may be null. */
    public BigDecimal getBaselineRate() { return baselineRate; }
    /** The relative lift the operator wants to detect, for the planned sample size; may be null. */
    public BigDecimal getMinDetectableEffect() { return minDetectableEffect; }
    public Instant getStartedAt() { return startedAt; }
    public Instant getEndedAt() { return endedAt; }
    public Long getWinnerArmId() { return winnerArmId; }
    /** In position order. */
    public List<ExperimentArm> getArms() { return arms; }
    public Allocation getAllocation() { return allocation; }
    /** BANDIT: the least share of the treated carts each arm gets, 0 to below 1. */
    public BigDecimal getExplorationFloor() { return explorationFloor; }
    /** BANDIT: the largest coupon (percent off) it may choose; null = no maximum. */
    public Integer getMaxDiscountPercent() { return maxDiscountPercent; }
    /** BANDIT: when it was frozen; null while it learns. */
    public Instant getFrozenAt() { return frozenAt; }
}
