package io.github.cartrecovery.admin.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.cartrecovery.experiment.Allocation;
import io.github.cartrecovery.experiment.ArmKind;
import io.github.cartrecovery.experiment.Experiment;
import io.github.cartrecovery.experiment.ExperimentArm;
import io.github.cartrecovery.experiment.ExperimentStatus;
import io.github.cartrecovery.experiment.StepVariant;

/**
 * The experiment editor's form: an experiment's fields as the operator typed them, and the problems found, each shown
 * next to the field it names. Arms are rows {@code arms[i].*} (key, name, kind CONTROL or VARIANT, weight; the holdout
 * arm follows from the holdout percent), each with step rows {@code arms[i].steps[j].*} (step number, omit, delay,
 * channel, template, subject, coupon policy, most off, offer, and the subject per locale
 * {@code arms[i].steps[j].subjects[de]} for the locales of {@link #SUBJECT_LOCALES}). Problems of {@link io.github.cartrecovery.experiment.Experiments}
 * name arms by key ("arms[B].weight: ..."), so the arm rows show the problems starting with their key. The allocation
 * (FIXED by the weights, or BANDIT with its exploration floor and maximum discount) is chosen here too.
 */
public final class ExperimentForm {

    /** Shown in a new experiment's fields (docs/experiments.md): the usual alpha and power, a 5 % baseline, a 20 % lift. */
    static final String DEFAULT_BASELINE = "0.05";
    static final String DEFAULT_MDE = "0.2";
    static final int ARM_ROWS = 4;
    static final int STEP_ROWS = 3;
    static final String[] STEP_FIELDS = {"stepNo", "delayMinutes", "channel", "template", "subject", "couponPolicy",
            "couponValue", "couponOffer"};

    /** The locales whose subject a step variant can be given in the editor (any other falls back to the default). */
    static final String[] SUBJECT_LOCALES = {"en", "de", "fr", "es"};

    private final Map<String, String> values = new LinkedHashMap<String, String>();
    private final List<String> problems = new ArrayList<String>();

    private ExperimentForm() {
    }

    /** A new experiment of the campaign: defaults, a control arm "A" and a variant "B". */
    public static ExperimentForm blank(long campaignId) {
        ExperimentForm form = new ExperimentForm();
        form.values.put("campaignId", String.valueOf(campaignId));
        form.values.put("holdoutPercent", "10");
        form.values.put("alpha", Experiment.DEFAULT_ALPHA.toPlainString());
        form.values.put("power", Experiment.DEFAULT_POWER.toPlainString());
        form.values.put("baselineRate", DEFAULT_BASELINE);
        form.values.put("minDetectableEffect", DEFAULT_MDE);
        form.values.put("allocation", Allocation.FIXED.name());
        form.values.put("explorationFloor", Experiment.DEFAULT_EXPLORATION_FLOOR.toPlainString());
        form.values.put("arms[0].key", "A");
        form.values.put("arms[0].name", "Control");
        form.values.put("arms[0].kind", ArmKind.CONTROL.name());
        form.values.put("arms[0].weight", "1");
        form.values.put("arms[1].key", "B");
        form.values.put("arms[1].name", "Variant B");
        form.values.put("arms[1].kind", ArmKind.VARIANT.name());
        form.values.put("arms[1].weight", "1");
        return form;
    }

    /** The form of a saved experiment (its holdout arm is not a row: the holdout percent stands for it). */
    public static ExperimentForm of(Experiment experiment) {
        ExperimentForm form = new ExperimentForm();
        form.put("id", experiment.getId());
        form.put("campaignId", experiment.getCampaignId());
        form.put("name", experiment.getName());
        form.put("holdoutPercent", plain(experiment.getHoldoutPercent()));
        form.put("alpha", plain(experiment.getAlpha()));
        form.put("power", plain(experiment.getPower()));
        form.put("baselineRate", plain(experiment.getBaselineRate()));
        form.put("minDetectableEffect", plain(experiment.getMinDetectableEffect()));
        form.put("allocation", experiment.getAllocation().name());
        form.put("explorationFloor", plain(experiment.getExplorationFloor()));
        form.put("maxDiscountPercent", experiment.getMaxDiscountPercent());
        int i = 0;
        for (ExperimentArm arm : experiment.getArms()) {
            if (arm.getKind() == ArmKind.HOLDOUT) {
                continue;
            }
            String at = "arms[" + i++ + "].";
            form.put(at + "key", arm.getKey());
            form.put(at + "name", arm.getName());
            form.put(at + "kind", arm.getKind().name());
            form.put(at + "weight", arm.getWeight());
            int j = 0;
            for (StepVariant step : arm.getSteps()) {
                String s = at + "steps[" + j++ + "].";
                form.put(s + "stepNo", step.getStepNo());
                form.put(s + "omit", step.isOmit() ? "true" : null);
                form.put(s + "delayMinutes", step.getDelayMinutes());
                form.put(s + "channel", step.getChannel());
                form.put(s + "template", step.getTemplate());
                form.put(s + "subject", step.getSubject());
                form.put(s + "couponPolicy", step.getCouponPolicy());
                form.put(s + "couponValue", plain(step.getCouponValue()));
                form.put(s + "couponOffer", step.getCouponOffer());
                for (Map.Entry<String, String> subject : step.getLocaleSubjects().entrySet()) {
                    form.put(s + "subjects[" + subject.getKey() + "]", subject.getValue());
                }
            }
        }
        return form;
    }

    /** The form as posted (the first value of each parameter, trimmed; empty means not given). */
    public static ExperimentForm fromRequest(Map<String, String[]> parameters) {
        ExperimentForm form = new ExperimentForm();
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String[] given = parameter.getValue();
            if (given != null && given.length > 0) {
                form.put(parameter.getKey(), given[0]);
            }
        }
        return form;
    }

    /**
     * The DRAFT the form describes, or null when a field is not a number (its problem is then on the form). Rows
     * without a key are left out; step rows without a step number too.
     */
    public Experiment toDraft(long campaignId) {
        Long id = whole("id");
        BigDecimal holdout = decimal("holdoutPercent");
        BigDecimal alpha = decimal("alpha");
        BigDecimal power = decimal("power");
        BigDecimal baseline = decimal("baselineRate");
        BigDecimal mde = decimal("minDetectableEffect");
        Allocation allocation = Allocation.FIXED;
        if (value("allocation") != null) {
            try {
                allocation = Allocation.valueOf(value("allocation"));
            } catch (IllegalArgumentException e) {
                problems.add("allocation: FIXED or BANDIT (was '" + value("allocation") + "')");
            }
        }
        BigDecimal floor = decimal("explorationFloor");
        Long maxDiscount = whole("maxDiscountPercent");
        if (maxDiscount != null && (maxDiscount < Integer.MIN_VALUE || maxDiscount > Integer.MAX_VALUE)) {
            problems.add("maxDiscountPercent: between 0 and 100, or empty for no maximum (was " + maxDiscount + ")");
        }
        List<ExperimentArm> arms = new ArrayList<ExperimentArm>();
        for (int i = 0; i < ARM_ROWS; i++) {
            String at = "arms[" + i + "].";
            String key = value(at + "key");
            if (key == null) {
                continue;
            }
            ArmKind kind = ArmKind.VARIANT;
            if (value(at + "kind") != null) {
                try {
                    kind = ArmKind.valueOf(value(at + "kind"));
                } catch (IllegalArgumentException e) {
                    problems.add(at + "kind: CONTROL or VARIANT (was '" + value(at + "kind") + "')");
                }
            }
            Long weight = whole(at + "weight");
            List<StepVariant> steps = new ArrayList<StepVariant>();
            for (int j = 0; j < STEP_ROWS; j++) {
                String s = at + "steps[" + j + "].";
                Long stepNo = whole(s + "stepNo");
                if (stepNo == null) {
                    continue;
                }
                Long delay = whole(s + "delayMinutes");
                BigDecimal couponValue = decimal(s + "couponValue");
                StepVariant step = new StepVariant(stepNo.intValue(), "true".equals(value(s + "omit")),
                        delay == null ? null : Integer.valueOf(delay.intValue()), value(s + "channel"),
                        value(s + "template"), value(s + "subject"), value(s + "couponPolicy"), couponValue,
                        value(s + "couponOffer"));
                for (String locale : SUBJECT_LOCALES) {
                    step = step.withSubject(locale, value(s + "subjects[" + locale + "]"));
                }
                steps.add(step);
            }
            arms.add(new ExperimentArm(null, key, value(at + "name"), kind,
                    weight == null ? 0 : weight.intValue(), steps));
        }
        if (!problems.isEmpty()) {
            return null;
        }
        Experiment draft = new Experiment(id, campaignId, value("name"), ExperimentStatus.DRAFT, holdout, null, alpha,
                power, baseline, mde, null, null, null, arms);
        return allocation == Allocation.BANDIT
                ? draft.withBandit(floor, maxDiscount == null ? null : Integer.valueOf(maxDiscount.intValue()))
                : draft.fixed();
    }

    private Long whole(String field) {
        String text = value(field);
        if (text == null) {
            return null;
        }
        try {
            return Long.valueOf(text);
        } catch (NumberFormatException e) {
            problems.add(field + ": a whole number (was '" + text + "')");
            return null;
        }
    }

    private BigDecimal decimal(String field) {
        String text = value(field);
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            problems.add(field + ": a number such as 0.05 (was '" + text + "')");
            return null;
        }
    }

    /**
     * Adds the engine's problems. A problem naming an arm by key ("arms[B].name: ...") is shown with that arm's row,
     * so it is filed under the row's index too.
     */
    public void addProblems(List<String> found) {
        for (String problem : found) {
            String filed = problem;
            for (int i = 0; i < ARM_ROWS; i++) {
                String key = value("arms[" + i + "].key");
                if (key != null && problem.startsWith("arms[" + key + "].")) {
                    filed = "arms[" + i + "]." + problem.substring(("arms[" + key + "].").length());
                    break;
                }
            }
            problems.add(filed);
        }
    }

    public String value(String field) {
        return values.get(field);
    }

    /** The problems of exactly this field ("name" finds "name: must not be empty"), joined; null when none. */
    public String error(String field) {
        StringBuilder text = new StringBuilder();
        for (String problem : problems) {
            if (problem.startsWith(field + ":")) {
                text.append(text.length() == 0 ? "" : "; ").append(problem);
            }
        }
        return text.length() == 0 ? null : text.toString();
    }

    /** The problems whose field starts with {@code prefix} ("arms[1]." for an arm row and its steps). */
    public List<String> errorsStartingWith(String prefix) {
        List<String> found = new ArrayList<String>();
        for (String problem : problems) {
            if (problem.startsWith(prefix)) {
                found.add(problem);
            }
        }
        return found;
    }

    public List<String> getProblems() { return Collections.unmodifiableList(problems); }
    public boolean hasProblems() { return !problems.isEmpty(); }
    public List<Integer> getArmIndexes() { return indexes(ARM_ROWS); }
    public List<Integer> getStepIndexes() { return indexes(STEP_ROWS); }
    public String[] getSubjectLocales() { return SUBJECT_LOCALES.clone(); }
    public ArmKind[] getArmKinds() { return new ArmKind[] {ArmKind.CONTROL, ArmKind.VARIANT}; }
    public Allocation[] getAllocations() { return Allocation.values(); }

    private void put(String field, Object value) {
        String text = value == null ? null : value.toString().trim();
        if (text == null || text.isEmpty()) {
            values.remove(field);
        } else {
            values.put(field, text);
        }
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }

    private static List<Integer> indexes(int rows) {
        List<Integer> indexes = new ArrayList<Integer>();
        for (int i = 0; i < rows; i++) {
            indexes.add(i);
        }
        return indexes;
    }
}
