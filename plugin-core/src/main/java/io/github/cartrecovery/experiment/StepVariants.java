package io.github.cartrecovery.experiment;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.campaign.CampaignStep;

/**
 * What delivery applies to a message planned for an experiment arm (CR_PLANNED_MESSAGE.ARM_ID): the arm's subject,
 * template and coupon for the step (its delay, channel and left-out steps were applied when the cart was planned). An
 * arm's variants never change once its experiment runs (only a DRAFT is edited, and a DRAFT's arms get new ids when it
 * is), so they are read once per arm and kept, like the campaign steps themselves ({@code CampaignStepCache}).
 * Thread-safe.
 */
public class StepVariants {

    /** Arms kept at most; past it the cache starts over (arms are few; this only bounds a store with thousands). */
    private static final int MAX_ARMS = 10000;

    private final JdbcTemplate jdbc;
    private final ConcurrentMap<Long, Map<Integer, StepVariant>> byArm = new ConcurrentHashMap<Long, Map<Integer, StepVariant>>();

    public StepVariants(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The step as arm {@code armId} sends it: a copy with the arm's changes, or the step itself when it has none. */
    public CampaignStep apply(CampaignStep step, long armId) {
        StepVariant variant = variants(armId).get(step.getStepNo());
        if (variant == null) {
            return step;
        }
        return CampaignVariants.apply(step.copyForMessage(), variant);
    }

    private Map<Integer, StepVariant> variants(long armId) {
        Map<Integer, StepVariant> variants = byArm.get(armId);
        if (variants == null) {
            final Map<Integer, StepVariant> read = new HashMap<Integer, StepVariant>();
            jdbc.query("SELECT ARM_ID, STEP_NO, OMIT, DELAY_MINUTES, CHANNEL, TEMPLATE, SUBJECT, COUPON_POLICY, COUPON_VALUE, "
                    + "COUPON_OFFER FROM CR_EXPERIMENT_ARM_STEP WHERE ARM_ID = ?", (ResultSet rs) -> {
                        StepVariant variant = variant(rs);
                        read.put(variant.getStepNo(), variant);
                    }, armId);
            Map<String, Map<String, String>> subjects = new HashMap<String, Map<String, String>>();
            jdbc.query("SELECT ARM_ID, STEP_NO, LOCALE_CODE, SUBJECT FROM CR_EXPERIMENT_ARM_STEP_SUBJECT WHERE ARM_ID = ?",
                    (ResultSet rs) -> addSubject(subjects, rs), armId);
            for (Map.Entry<Integer, StepVariant> step : read.entrySet()) {
                step.setValue(withSubjects(step.getValue(), armId, subjects));
            }
            variants = Collections.unmodifiableMap(read);
            if (byArm.size() >= MAX_ARMS) {
                byArm.clear();
            }
            byArm.put(armId, variants);
        }
        return variants;
    }

    /** One CR_EXPERIMENT_ARM_STEP_SUBJECT row, filed under its arm and step ({@link #withSubjects}). */
    static void addSubject(Map<String, Map<String, String>> subjects, ResultSet rs) throws SQLException {
        String step = rs.getLong("ARM_ID") + "/" + rs.getInt("STEP_NO");
        if (!subjects.containsKey(step)) {
            subjects.put(step, new HashMap<String, String>());
        }
        subjects.get(step).put(rs.getString("LOCALE_CODE"), rs.getString("SUBJECT"));
    }

    /** The variant with its subjects per locale as {@link #addSubject} filed them. */
    static StepVariant withSubjects(StepVariant variant, long armId, Map<String, Map<String, String>> subjects) {
        Map<String, String> own = subjects.get(armId + "/" + variant.getStepNo());
        return own == null ? variant : variant.withLocaleSubjects(own);
    }

    /** One CR_EXPERIMENT_ARM_STEP row. */
    static StepVariant variant(ResultSet rs) throws SQLException {
        int delay = rs.getInt("DELAY_MINUTES");
        Integer delayMinutes = rs.wasNull() ? null : delay;
        BigDecimal couponValue = rs.getBigDecimal("COUPON_VALUE");
        return new StepVariant(rs.getInt("STEP_NO"), rs.getBoolean("OMIT"), delayMinutes, rs.getString("CHANNEL"),
                rs.getString("TEMPLATE"), rs.getString("SUBJECT"), rs.getString("COUPON_POLICY"), couponValue,
                rs.getString("COUPON_OFFER"));
    }
}
