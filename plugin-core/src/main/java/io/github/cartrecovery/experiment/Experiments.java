package io.github.cartrecovery.experiment;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignRepository;

/**
 * Experiments of campaigns: the owner of CR_EXPERIMENT, CR_EXPERIMENT_ARM and CR_EXPERIMENT_ARM_STEP. A DRAFT is saved
 * validated ({@link ExperimentRules}; nothing is written when invalid) and may be edited until it starts; {@link #start}
 * fixes its arms and salt for its life (at most one RUNNING experiment per campaign, backed by
 * UQ_CR_EXPERIMENT_RUNNING); {@link #end} stops assignment and, with a winner, applies the winner's step variants to the
 * campaign through {@link CampaignRepository#save} (validated), in the same transaction. Every method is one
 * transaction; safe on every node.
 */
public class Experiments {

    private static final String EXPERIMENT_COLUMNS = "ID, CAMPAIGN_ID, NAME, STATUS, HOLDOUT_PERCENT, SALT, ALPHA, POWER, "
            + "BASELINE_RATE, MIN_DETECTABLE_EFFECT, STARTED_AT, ENDED_AT, WINNER_ARM_ID, ALLOCATION, EXPLORATION_FLOOR, "
            + "MAX_DISCOUNT_PERCENT, FROZEN_AT";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final CampaignRepository campaigns;
    private final ExperimentRules rules;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile ArmDiscounts discounts;

    public Experiments(DataSource dataSource, PlatformTransactionManager transactionManager, CampaignRepository campaigns,
                       io.github.cartrecovery.campaign.CampaignValidator validator, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.campaigns = campaigns;
        this.rules = new ExperimentRules(validator);
        this.clock = clock;
    }

    /** Reads the arms' coupons for a BANDIT's maximum discount (bean crArmDiscounts); without it they are not checked. */
    public void setArmDiscounts(ArmDiscounts armDiscounts) {
        this.discounts = armDiscounts;
    }

    /** A campaign's experiments, newest first, with their arms. */
    public List<Experiment> forCampaign(long campaignId) {
        List<Experiment> found = new ArrayList<Experiment>();
        for (Long id : jdbc.queryForList("SELECT ID FROM CR_EXPERIMENT WHERE CAMPAIGN_ID = ? ORDER BY ID DESC",
                Long.class, campaignId)) {
            found.add(get(id));
        }
        return found;
    }

    /** One experiment with its arms and their step variants, or null. */
    public Experiment get(long experimentId) {
        List<Experiment> found = jdbc.query("SELECT " + EXPERIMENT_COLUMNS + " FROM CR_EXPERIMENT WHERE ID = ?",
                new ExperimentMapper(arms(experimentId)), experimentId);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The campaign's RUNNING experiment, or null. */
    public Experiment running(long campaignId) {
        List<Long> ids = jdbc.queryForList("SELECT ID FROM CR_EXPERIMENT WHERE RUNNING_CAMPAIGN_ID = ?", Long.class, campaignId);
        return ids.isEmpty() ? null : get(ids.get(0));
    }

    /**
     * Saves a DRAFT (new, or an edit of a DRAFT: its arms are replaced). A holdout arm is added when the holdout share is
     * above 0 and there is none. Throws {@link InvalidExperimentException} naming every problem; nothing is written then.
     */
    public Experiment saveDraft(final Experiment draft) {
        final Experiment experiment = withHoldoutArm(draft);
        check(experiment);
        Long id;
        try {
            id = transactions.execute(new TransactionCallback<Long>() {
                @Override
                public Long doInTransaction(TransactionStatus status) {
                    return write(experiment);
                }
            });
        } catch (DataIntegrityViolationException sameNameMeanwhile) {
            throw new InvalidExperimentException(experiment.getName(), Collections.singletonList(
                    "name: the campaign has another experiment called '" + experiment.getName() + "'"));
        }
        return get(id);
    }

    private void check(Experiment experiment) {
        Campaign campaign = campaigns.find(experiment.getCampaignId());
        List<String> problems = rules.problems(experiment, campaign);
        if (problems.isEmpty() && experiment.getAllocation() == Allocation.BANDIT && discounts != null) {
            banditDiscounts(experiment, campaign, problems);
        }
        if (experiment.getId() != null) {
            Experiment current = get(experiment.getId());
            if (current == null || current.getCampaignId() != experiment.getCampaignId()) {
                problems.add("id: no experiment " + experiment.getId() + " of campaign " + experiment.getCampaignId());
            } else if (current.getStatus() != ExperimentStatus.DRAFT) {
                problems.add("status: only a DRAFT can be changed (this one is " + current.getStatus() + ")");
            }
        }
        if (problems.isEmpty() && experiment.getName() != null) {
            Integer sameName = jdbc.queryForObject("SELECT COUNT(*) FROM CR_EXPERIMENT WHERE CAMPAIGN_ID = ? "
                    + "AND LOWER(NAME) = LOWER(?) AND ID <> ?", Integer.class, experiment.getCampaignId(),
                    experiment.getName(), experiment.getId() == null ? -1L : experiment.getId());
            if (sameName != null && sameName > 0) {
                problems.add("name: the campaign has another experiment called '" + experiment.getName() + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidExperimentException(experiment.getName(), problems);
        }
    }

    /** Every arm's coupon must be a percentage, and some arm must be within the maximum discount. */
    private void banditDiscounts(Experiment experiment, Campaign campaign, List<String> problems) {
        Integer maximum = experiment.getMaxDiscountPercent();
        boolean anyWithin = false;
        for (ExperimentArm arm : experiment.getArms()) {
            if (arm.getKind() != ArmKind.HOLDOUT) {
                Integer percent = discounts.percentOff(campaign, arm, problems);
                anyWithin |= maximum == null || (percent == null ? 0 : percent) <= maximum;
            }
        }
        if (!anyWithin) {
            problems.add("maxDiscountPercent: every arm's coupon takes more than " + maximum
                    + "% off, so the bandit could choose none");
        }
    }

    private long write(Experiment experiment) {
        Timestamp now = Timestamp.from(clock.instant());
        long id;
        if (experiment.getId() == null) {
            id = insert("INSERT INTO CR_EXPERIMENT (CAMPAIGN_ID, NAME, STATUS, HOLDOUT_PERCENT, SALT, ALPHA, POWER, "
                    + "BASELINE_RATE, MIN_DETECTABLE_EFFECT, ALLOCATION, EXPLORATION_FLOOR, MAX_DISCOUNT_PERCENT, CREATED_AT, "
                    + "UPDATED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    experiment.getCampaignId(), experiment.getName().trim(), ExperimentStatus.DRAFT.name(),
                    experiment.getHoldoutPercent(), newSalt(), experiment.getAlpha(), experiment.getPower(),
                    experiment.getBaselineRate(), experiment.getMinDetectableEffect(), experiment.getAllocation().name(),
                    experiment.getExplorationFloor(), experiment.getMaxDiscountPercent(), now, now);
        } else {
            id = experiment.getId();
            jdbc.update("UPDATE CR_EXPERIMENT SET NAME = ?, HOLDOUT_PERCENT = ?, ALPHA = ?, POWER = ?, BASELINE_RATE = ?, "
                    + "MIN_DETECTABLE_EFFECT = ?, ALLOCATION = ?, EXPLORATION_FLOOR = ?, MAX_DISCOUNT_PERCENT = ?, "
                    + "UPDATED_AT = ? WHERE ID = ? AND STATUS = ?", experiment.getName().trim(),
                    experiment.getHoldoutPercent(), experiment.getAlpha(), experiment.getPower(),
                    experiment.getBaselineRate(), experiment.getMinDetectableEffect(), experiment.getAllocation().name(),
                    experiment.getExplorationFloor(), experiment.getMaxDiscountPercent(), now, id,
                    ExperimentStatus.DRAFT.name());
            jdbc.update("DELETE FROM CR_EXPERIMENT_ARM WHERE EXPERIMENT_ID = ?", id); // their step variants cascade
        }
        int position = 0;
        for (ExperimentArm arm : experiment.getArms()) {
            long armId = insert("INSERT INTO CR_EXPERIMENT_ARM (EXPERIMENT_ID, ARM_KEY, NAME, KIND, WEIGHT, POSITION) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", id, arm.getKey(), arm.getName().trim(), arm.getKind().name(),
                    arm.getKind() == ArmKind.HOLDOUT ? 0 : arm.getWeight(), position++);
            for (StepVariant step : arm.getSteps()) {
                jdbc.update("INSERT INTO CR_EXPERIMENT_ARM_STEP (ARM_ID, STEP_NO, OMIT, DELAY_MINUTES, CHANNEL, TEMPLATE, "
                        + "SUBJECT, COUPON_POLICY, COUPON_VALUE, COUPON_OFFER) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        armId, step.getStepNo(), step.isOmit(), step.getDelayMinutes(), step.getChannel(),
                        step.getTemplate(), step.getSubject(), step.getCouponPolicy(), step.getCouponValue(),
                        step.getCouponOffer());
                for (Map.Entry<String, String> subject : step.getLocaleSubjects().entrySet()) {
                    jdbc.update("INSERT INTO CR_EXPERIMENT_ARM_STEP_SUBJECT (ARM_ID, STEP_NO, LOCALE_CODE, SUBJECT) "
                            + "VALUES (?, ?, ?, ?)", armId, step.getStepNo(), subject.getKey(), subject.getValue());
                }
            }
        }
        return id;
    }

    /**
     * DRAFT to RUNNING: from now on the campaign's planned carts are assigned to its arms. Refused (naming the rule) when
     * it is not a DRAFT or the campaign runs another experiment.
     */
    public Experiment start(final long experimentId) {
        final Experiment experiment = get(experimentId);
        if (experiment == null) {
            throw new InvalidExperimentException(String.valueOf(experimentId),
                    Collections.singletonList("id: no experiment " + experimentId));
        }
        if (experiment.getStatus() != ExperimentStatus.DRAFT) {
            throw new InvalidExperimentException(experiment.getName(), Collections.singletonList(
                    "status: only a DRAFT can start (this one is " + experiment.getStatus() + ")"));
        }
        Experiment other = running(experiment.getCampaignId());
        if (other != null) {
            throw alreadyRunning(experiment, other.getName());
        }
        final Timestamp now = Timestamp.from(clock.instant());
        try {
            transactions.execute(new TransactionCallback<Void>() {
                @Override
                public Void doInTransaction(TransactionStatus status) {
                    jdbc.update("UPDATE CR_EXPERIMENT SET STATUS = ?, RUNNING_CAMPAIGN_ID = CAMPAIGN_ID, STARTED_AT = ?, "
                            + "UPDATED_AT = ? WHERE ID = ? AND STATUS = ?", ExperimentStatus.RUNNING.name(), now, now,
                            experimentId, ExperimentStatus.DRAFT.name());
                    return null;
                }
            });
        } catch (DataIntegrityViolationException startedElsewhere) {
            throw alreadyRunning(experiment, "another");
        }
        return get(experimentId);
    }

    private static InvalidExperimentException alreadyRunning(Experiment experiment, String other) {
        return new InvalidExperimentException(experiment.getName(), Collections.singletonList("status: campaign "
                + experiment.getCampaignId() + " already runs experiment '" + other + "' (at most one at a time)"));
    }

    /**
     * RUNNING to ENDED: no more carts are assigned (those planned keep their arm and messages). With a winner, the
     * campaign goes on with the winner's step variants: applied to the campaign and saved through
     * {@link CampaignRepository#save} (validated) in the same transaction, so an invalid result changes nothing. A
     * holdout cannot win (the campaign would send nothing); a CONTROL winner leaves the campaign as it is.
     */
    public Experiment end(final long experimentId, final Long winnerArmId) {
        final Experiment experiment = get(experimentId);
        List<String> problems = new ArrayList<String>();
        if (experiment == null) {
            throw new InvalidExperimentException(String.valueOf(experimentId),
                    Collections.singletonList("id: no experiment " + experimentId));
        }
        if (experiment.getStatus() != ExperimentStatus.RUNNING) {
            problems.add("status: only a RUNNING experiment can end (this one is " + experiment.getStatus() + ")");
        }
        final ExperimentArm winner = winnerArmId == null ? null : experiment.arm(winnerArmId);
        if (winnerArmId != null && winner == null) {
            problems.add("winnerArmId: " + winnerArmId + " is not an arm of this experiment");
        } else if (winner != null && winner.getKind() == ArmKind.HOLDOUT) {
            problems.add("winnerArmId: the holdout cannot win (the campaign would send nothing; disable the campaign instead)");
        }
        if (!problems.isEmpty()) {
            throw new InvalidExperimentException(experiment.getName(), problems);
        }
        final Campaign continued = winner != null && winner.getKind() == ArmKind.VARIANT
                ? CampaignVariants.continued(campaigns.find(experiment.getCampaignId()), winner) : null;
        final Timestamp now = Timestamp.from(clock.instant());
        transactions.execute(new TransactionCallback<Void>() {
            @Override
            public Void doInTransaction(TransactionStatus status) {
                int ended = jdbc.update("UPDATE CR_EXPERIMENT SET STATUS = ?, RUNNING_CAMPAIGN_ID = NULL, ENDED_AT = ?, "
                        + "WINNER_ARM_ID = ?, UPDATED_AT = ? WHERE ID = ? AND STATUS = ?", ExperimentStatus.ENDED.name(),
                        now, winnerArmId, now, experimentId, ExperimentStatus.RUNNING.name());
                if (ended == 1 && continued != null) {
                    campaigns.save(continued);
                }
                return null;
            }
        });
        return get(experimentId);
    }

    private static Experiment withHoldoutArm(Experiment draft) {
        BigDecimal holdout = draft.getHoldoutPercent();
        if (holdout == null || holdout.signum() <= 0) {
            return draft;
        }
        for (ExperimentArm arm : draft.getArms()) {
            if (arm.getKind() == ArmKind.HOLDOUT) {
                return draft;
            }
        }
        List<ExperimentArm> arms = new ArrayList<ExperimentArm>();
        arms.add(ExperimentArm.holdout());
        arms.addAll(draft.getArms());
        return draft.withArms(arms);
    }

    private String newSalt() {
        byte[] salt = new byte[32];
        random.nextBytes(salt);
        StringBuilder hex = new StringBuilder(64);
        for (byte b : salt) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    /** An INSERT into a table whose first column is its generated ID; returns the ID. */
    private long insert(final String sql, final Object... args) {
        return jdbc.execute(new PreparedStatementCreator() {
            @Override
            public PreparedStatement createPreparedStatement(Connection connection) throws SQLException {
                PreparedStatement statement = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
                for (int i = 0; i < args.length; i++) {
                    statement.setObject(i + 1, args[i]);
                }
                return statement;
            }
        }, (PreparedStatement statement) -> {
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new IllegalStateException("no generated id for: " + sql);
                }
                return keys.getLong(1);
            }
        });
    }

    /** The experiment's arms with their step variants, in position order. */
    private List<ExperimentArm> arms(long experimentId) {
        final Map<Long, List<StepVariant>> steps = new HashMap<Long, List<StepVariant>>();
        jdbc.query("SELECT s.ARM_ID, s.STEP_NO, s.OMIT, s.DELAY_MINUTES, s.CHANNEL, s.TEMPLATE, s.SUBJECT, s.COUPON_POLICY, "
                + "s.COUPON_VALUE, s.COUPON_OFFER FROM CR_EXPERIMENT_ARM_STEP s JOIN CR_EXPERIMENT_ARM a ON a.ID = s.ARM_ID "
                + "WHERE a.EXPERIMENT_ID = ? ORDER BY s.ARM_ID, s.STEP_NO", (ResultSet rs) -> {
                    Long armId = rs.getLong("ARM_ID");
                    if (!steps.containsKey(armId)) {
                        steps.put(armId, new ArrayList<StepVariant>());
                    }
                    steps.get(armId).add(StepVariants.variant(rs));
                }, experimentId);
        final Map<String, Map<String, String>> subjects = new HashMap<String, Map<String, String>>();
        jdbc.query("SELECT s.ARM_ID, s.STEP_NO, s.LOCALE_CODE, s.SUBJECT FROM CR_EXPERIMENT_ARM_STEP_SUBJECT s "
                + "JOIN CR_EXPERIMENT_ARM a ON a.ID = s.ARM_ID WHERE a.EXPERIMENT_ID = ?",
                (ResultSet rs) -> StepVariants.addSubject(subjects, rs), experimentId);
        for (Map.Entry<Long, List<StepVariant>> arm : steps.entrySet()) {
            List<StepVariant> variants = arm.getValue();
            for (int i = 0; i < variants.size(); i++) {
                variants.set(i, StepVariants.withSubjects(variants.get(i), arm.getKey(), subjects));
            }
        }
        return jdbc.query("SELECT ID, ARM_KEY, NAME, KIND, WEIGHT FROM CR_EXPERIMENT_ARM WHERE EXPERIMENT_ID = ? "
                + "ORDER BY POSITION, ID", new RowMapper<ExperimentArm>() {
                    @Override
                    public ExperimentArm mapRow(ResultSet rs, int rowNum) throws SQLException {
                        long id = rs.getLong("ID");
                        List<StepVariant> variants = steps.get(id);
                        return new ExperimentArm(id, rs.getString("ARM_KEY"), rs.getString("NAME"),
                                ArmKind.valueOf(rs.getString("KIND")), rs.getInt("WEIGHT"),
                                variants == null ? Collections.<StepVariant>emptyList() : variants);
                    }
                }, experimentId);
    }

    private static final class ExperimentMapper implements RowMapper<Experiment> {
        private final List<ExperimentArm> arms;

        ExperimentMapper(List<ExperimentArm> arms) {
            this.arms = arms;
        }

        @Override
        public Experiment mapRow(ResultSet rs, int rowNum) throws SQLException {
            long winner = rs.getLong("WINNER_ARM_ID");
            Long winnerArmId = rs.wasNull() ? null : winner;
            return new Experiment(rs.getLong("ID"), rs.getLong("CAMPAIGN_ID"), rs.getString("NAME"),
                    ExperimentStatus.valueOf(rs.getString("STATUS")), rs.getBigDecimal("HOLDOUT_PERCENT"),
                    rs.getString("SALT"), rs.getBigDecimal("ALPHA"), rs.getBigDecimal("POWER"),
                    rs.getBigDecimal("BASELINE_RATE"), rs.getBigDecimal("MIN_DETECTABLE_EFFECT"),
                    instant(rs.getTimestamp("STARTED_AT")), instant(rs.getTimestamp("ENDED_AT")), winnerArmId, arms,
                    Allocation.valueOf(rs.getString("ALLOCATION")), rs.getBigDecimal("EXPLORATION_FLOOR"),
                    maxDiscount(rs), instant(rs.getTimestamp("FROZEN_AT")));
        }

        private static Integer maxDiscount(ResultSet rs) throws SQLException {
            int percent = rs.getInt("MAX_DISCOUNT_PERCENT");
            return rs.wasNull() ? null : percent;
        }

        private static Instant instant(Timestamp timestamp) {
            return timestamp == null ? null : timestamp.toInstant();
        }
    }
}
