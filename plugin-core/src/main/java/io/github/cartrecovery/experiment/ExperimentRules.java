package io.github.cartrecovery.experiment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.CampaignValidator;

/**
 * Rejects an experiment that cannot work, before it is saved; each problem names the field and the rule. Each arm's
 * sequence (the campaign with the arm's variants applied) must pass the campaign validator, so a variant's channel,
 * template, subject and coupon are judged exactly as a campaign's are. Stateless.
 */
final class ExperimentRules {

    static final BigDecimal MAX_HOLDOUT = new BigDecimal("50");
    static final int MAX_NAME = 255;
    static final int MAX_KEY = 32;
    static final String KEY = "[A-Za-z0-9][A-Za-z0-9_-]{0,31}";
    /** A language ("de") or a language and region ("de_AT"), as the campaign's subjects and the carts' locales have them. */
    static final String LOCALE = "[a-z]{2,3}(_[A-Za-z0-9]{2,8})?";
    static final int MAX_SUBJECT = 255;

    private final CampaignValidator campaigns;

    ExperimentRules(CampaignValidator campaigns) {
        this.campaigns = campaigns;
    }

    /** Every problem of {@code experiment} on {@code campaign} (which stays as it is). */
    List<String> problems(Experiment experiment, Campaign campaign) {
        List<String> problems = new ArrayList<String>();
        if (campaign == null) {
            problems.add("campaignId: no campaign " + experiment.getCampaignId());
            return problems;
        }
        String name = experiment.getName();
        if (name == null || name.trim().isEmpty()) {
            problems.add("name: must not be empty");
        } else if (name.length() > MAX_NAME) {
            problems.add("name: at most " + MAX_NAME + " characters (was " + name.length() + ")");
        }
        BigDecimal holdout = experiment.getHoldoutPercent();
        if (holdout == null || holdout.signum() < 0 || holdout.compareTo(MAX_HOLDOUT) > 0) {
            problems.add("holdoutPercent: between 0 and 50 (was " + (holdout == null ? "empty" : holdout.toPlainString()) + ")");
        } else if (holdout.stripTrailingZeros().scale() > 2) {
            problems.add("holdoutPercent: at most 2 decimals (was " + holdout.toPlainString() + ")");
        }
        probability(problems, "alpha", experiment.getAlpha(), true);
        probability(problems, "power", experiment.getPower(), true);
        probability(problems, "baselineRate", experiment.getBaselineRate(), false);
        probability(problems, "minDetectableEffect", experiment.getMinDetectableEffect(), false);
        Set<Integer> stepNumbers = new HashSet<Integer>();
        for (CampaignStep step : campaign.getSteps()) {
            stepNumbers.add(step.getStepNo());
        }
        Set<String> keys = new HashSet<String>();
        int controls = 0;
        int holdouts = 0;
        int treated = 0;
        for (ExperimentArm arm : experiment.getArms()) {
            String where = "arms[" + arm.getKey() + "].";
            if (arm.getKey() == null || !arm.getKey().matches(KEY)) {
                problems.add("arms.key: letters, digits, '-' and '_', at most " + MAX_KEY + " (was "
                        + (arm.getKey() == null ? "empty" : "'" + arm.getKey() + "'") + ")");
            } else if (!keys.add(arm.getKey())) {
                problems.add(where + "key: used by two arms");
            }
            if (arm.getName() == null || arm.getName().trim().isEmpty()) {
                problems.add(where + "name: must not be empty");
            } else if (arm.getName().length() > MAX_NAME) {
                problems.add(where + "name: at most " + MAX_NAME + " characters");
            }
            if (arm.getKind() == null) {
                problems.add(where + "kind: HOLDOUT, CONTROL or VARIANT");
                continue;
            }
            switch (arm.getKind()) {
                case HOLDOUT:
                    holdouts++;
                    if (!arm.getSteps().isEmpty()) {
                        problems.add(where + "steps: a holdout gets no message, so it has no step variants");
                    }
                    continue;
                case CONTROL:
                    controls++;
                    if (!arm.getSteps().isEmpty()) {
                        problems.add(where + "steps: the control is the campaign as it is, so it has no step variants");
                    }
                    break;
                default:
                    break;
            }
            treated++;
            if (arm.getWeight() < 1) {
                problems.add(where + "weight: must be a positive whole number (was " + arm.getWeight() + ")");
            }
            Set<Integer> varied = new HashSet<Integer>();
            for (StepVariant step : arm.getSteps()) {
                if (!stepNumbers.contains(step.getStepNo())) {
                    problems.add(where + "steps[" + step.getStepNo() + "].stepNo: the campaign has no step "
                            + step.getStepNo() + " (it has " + stepNumbers + ")");
                } else if (!varied.add(step.getStepNo())) {
                    problems.add(where + "steps[" + step.getStepNo() + "].stepNo: varied twice");
                }
                localeSubjectProblems(problems, where + "steps[" + step.getStepNo() + "].", step);
            }
            if (arm.getKind() == ArmKind.VARIANT) {
                Campaign sequence = CampaignVariants.continued(campaign, arm);
                for (String problem : campaigns.problems(sequence)) {
                    problems.add(where + problem);
                }
            }
        }
        if (controls != 1) {
            problems.add("arms: exactly one CONTROL arm (has " + controls + ")");
        }
        if (holdouts > 1) {
            problems.add("arms: at most one HOLDOUT arm (has " + holdouts + ")");
        }
        if (holdout != null && holdout.signum() == 0 && holdouts > 0) {
            problems.add("holdoutPercent: a HOLDOUT arm needs a share above 0");
        }
        if (treated == 0 && controls == 0) {
            problems.add("arms: an experiment needs a CONTROL arm");
        }
        if (experiment.getAllocation() == Allocation.BANDIT) {
            banditProblems(problems, experiment, treated);
        }
        return problems;
    }

    private static void banditProblems(List<String> problems, Experiment experiment, int treated) {
        if (treated < 2) {
            problems.add("allocation: a BANDIT chooses among the CONTROL and the VARIANTs, so it needs at least one "
                    + "VARIANT (has " + treated + " treated arm" + (treated == 1 ? "" : "s") + ")");
        }
        BigDecimal floor = experiment.getExplorationFloor();
        if (floor == null || floor.signum() < 0 || floor.compareTo(BigDecimal.ONE) >= 0) {
            problems.add("explorationFloor: at least 0 and below 1 (0.05 = 5% of the carts per arm; was "
                    + (floor == null ? "empty" : floor.toPlainString()) + ")");
        } else if (floor.stripTrailingZeros().scale() > 5) {
            problems.add("explorationFloor: at most 5 decimals (was " + floor.toPlainString() + ")");
        }
        Integer maximum = experiment.getMaxDiscountPercent();
        if (maximum != null && (maximum < 0 || maximum > 100)) {
            problems.add("maxDiscountPercent: between 0 and 100, or empty for no maximum (was " + maximum + ")");
        }
    }

    /** A subject per locale: a real locale code, one line of text, not empty, at most 255 characters. */
    private static void localeSubjectProblems(List<String> problems, String where, StepVariant step) {
        for (Map.Entry<String, String> subject : step.getLocaleSubjects().entrySet()) {
            String locale = subject.getKey();
            if (locale == null || !locale.matches(LOCALE)) {
                String shown = locale == null ? "empty" : "'" + (locale.length() > 20 ? locale.substring(0, 20) + "..." : locale) + "'";
                problems.add(where + "subjects: a locale code such as de or de_AT (was " + shown + ")");
                continue;
            }
            String text = subject.getValue();
            String field = where + "subjects[" + locale + "]: ";
            if (text == null || text.trim().isEmpty()) {
                problems.add(field + "must not be empty (leave the locale out to use the default subject)");
            } else if (text.length() > MAX_SUBJECT) {
                problems.add(field + "at most " + MAX_SUBJECT + " characters (was " + text.length() + ")");
            } else if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                problems.add(field + "one line (a subject has no line breaks)");
            }
        }
    }

    private static void probability(List<String> problems, String field, BigDecimal value, boolean required) {
        if (value == null) {
            if (required) {
                problems.add(field + ": required, above 0 and below 1");
            }
            return;
        }
        if (value.signum() <= 0 || value.compareTo(BigDecimal.ONE) >= 0) {
            problems.add(field + ": above 0 and below 1 (was " + value.toPlainString() + ")");
        } else if (value.stripTrailingZeros().scale() > 5) {
            problems.add(field + ": at most 5 decimals (was " + value.toPlainString() + ")");
        }
    }
}
