package io.github.cartrecovery.admin.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.ConditionType;
import io.github.cartrecovery.campaign.StepCondition;
import io.github.cartrecovery.campaign.StepConditionType;
import io.github.cartrecovery.campaign.TriggerType;

/**
 * The campaign editor's form: what the operator typed (kept as text so it can be shown again) and the
 * errors per field path ({@code name}, {@code steps[2].template}, {@code steps[2].conditions[0].currencyCode},
 * {@code conditions[0].numberValue}), the same paths {@code CampaignValidator} names (its step numbers and condition
 * positions are mapped back to the form's rows). Each step has a channel and its send-time conditions. Rows left
 * blank are ignored.
 */
public final class CampaignForm {

    /** Extra empty rows the editor offers for new steps, conditions and subject locales. */
    static final int BLANK_ROWS = 1;

    private final Map<String, String> values;
    private final Map<String, String> errors = new LinkedHashMap<String, String>();
    /** Step number -> form row, so "steps[2].template" from the validator lands on the row showing step 2. */
    private final Map<Integer, Integer> rowOfStep = new LinkedHashMap<Integer, Integer>();
    /** Step row -> the form rows of its conditions, in the order they were added to the step. */
    private final Map<Integer, List<Integer>> conditionRowsOfStep = new LinkedHashMap<Integer, List<Integer>>();
    private int stepRows;
    private final int conditionRows;
    private final int subjectRows;
    private final int stepConditionRows;

    private CampaignForm(Map<String, String> values, int stepRows, int conditionRows, int subjectRows,
                         int stepConditionRows) {
        this.values = values;
        this.stepRows = stepRows;
        this.conditionRows = conditionRows;
        this.subjectRows = subjectRows;
        this.stepConditionRows = stepConditionRows;
    }

    /** The form for a request's parameters (first value of each). */
    public static CampaignForm fromRequest(Map<String, String[]> parameters) {
        Map<String, String> values = new LinkedHashMap<String, String>();
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String[] v = parameter.getValue();
            values.put(parameter.getKey(), v == null || v.length == 0 ? null : v[0]);
        }
        return new CampaignForm(values, count(values, "stepRows"), count(values, "conditionRows"), count(values, "subjectRows"),
                count(values, "stepConditionRows"));
    }

    /** The form showing a saved campaign (or an empty one). */
    public static CampaignForm of(Campaign campaign) {
        Map<String, String> values = new LinkedHashMap<String, String>();
        int subjects = 1;
        int stepConditions = 0;
        if (campaign != null) {
            put(values, "id", campaign.getId());
            put(values, "name", campaign.getName());
            put(values, "status", campaign.getStatus());
            put(values, "priority", campaign.getPriority());
            put(values, "triggerType", campaign.getTriggerType());
            for (int i = 0; i < campaign.getSteps().size(); i++) {
                CampaignStep step = campaign.getSteps().get(i);
                String at = "steps[" + i + "].";
                put(values, at + "id", step.getId());
                put(values, at + "stepNo", step.getStepNo());
                DelayUnit unit = DelayUnit.largestWholeUnit(step.getDelayMinutes());
                put(values, at + "delay", step.getDelayMinutes() / unit.minutes);
                put(values, at + "delayUnit", unit.name());
                put(values, at + "channel", step.getChannel());
                put(values, at + "template", step.getTemplate());
                put(values, at + "couponPolicy", step.getCouponPolicy());
                put(values, at + "couponOffer", step.getCouponOffer());
                put(values, at + "couponValue", step.getCouponValue() == null ? null
                        : step.getCouponValue().stripTrailingZeros().toPlainString());
                put(values, at + "couponMaxDiscounts", step.getCouponMaxDiscounts());
                put(values, at + "couponValidHours", step.getCouponValidHours());
                int k = 0;
                for (Map.Entry<String, String> subject : step.getSubjects().entrySet()) {
                    put(values, at + "subjects[" + k + "].locale", subject.getKey());
                    put(values, at + "subjects[" + k + "].text", subject.getValue());
                    k++;
                }
                subjects = Math.max(subjects, k);
                for (int c = 0; c < step.getConditions().size(); c++) {
                    StepCondition condition = step.getConditions().get(c);
                    String of = at + "conditions[" + c + "].";
                    put(values, of + "type", condition.getTypeName());
                    put(values, of + "currencyCode", condition.getCurrencyCode());
                    put(values, of + "numberValue", condition.getNumberValue() == null ? null
                            : condition.getNumberValue().stripTrailingZeros().toPlainString());
                    put(values, of + "textValue", condition.getTextValue());
                }
                stepConditions = Math.max(stepConditions, step.getConditions().size());
            }
            for (int i = 0; i < campaign.getConditions().size(); i++) {
                CampaignCondition condition = campaign.getConditions().get(i);
                String at = "conditions[" + i + "].";
                put(values, at + "type", condition.getType());
                put(values, at + "currencyCode", condition.getCurrencyCode());
                put(values, at + "numberValue", condition.getNumberValue());
                put(values, at + "textValue", condition.getTextValue());
            }
        }
        int steps = campaign == null ? 0 : campaign.getSteps().size();
        int conditions = campaign == null ? 0 : campaign.getConditions().size();
        return new CampaignForm(values, steps + BLANK_ROWS, conditions + BLANK_ROWS, subjects + BLANK_ROWS,
                stepConditions + BLANK_ROWS);
    }

    /**
     * The campaign the form describes, or null with {@link #getErrors()} filled when a value cannot be read.
     * {@code existing} (may be null) supplies the id and creation time of the campaign being edited.
     */
    public Campaign toCampaign(Campaign existing, Instant now) {
        Long id = existing == null ? null : existing.getId();
        Instant createdAt = existing == null ? now : existing.getCreatedAt().toInstant();
        CampaignStatus status = CampaignStatus.DISABLED;
        try {
            status = CampaignStatus.valueOf(text("status", "DISABLED"));
        } catch (IllegalArgumentException e) {
            errors.put("status", "status: must be ENABLED or DISABLED");
        }
        Integer priority = integer("priority", 0);
        Campaign campaign = new Campaign(id, value("name"), status, priority == null ? 0 : priority, createdAt).editedAt(now);
        try {
            campaign.triggeredBy(TriggerType.named(value("triggerType")));
        } catch (IllegalArgumentException e) {
            errors.put("triggerType", "triggerType: " + e.getMessage());
        }
        for (int i = 0; i < stepRows; i++) {
            String at = "steps[" + i + "].";
            if (blank(at + "template") && blank(at + "customTemplate") && blank(at + "delay") && blank(at + "delayMinutes")
                    && blank(at + "id")) {
                continue;
            }
            Map<String, String> subjects = new LinkedHashMap<String, String>();
            for (int k = 0; k < subjectRows; k++) {
                String locale = value(at + "subjects[" + k + "].locale");
                String subject = value(at + "subjects[" + k + "].text");
                if (locale != null && subject != null) {
                    subjects.put(locale, subject);
                }
            }
            Integer stepNo = integer(at + "stepNo", i + 1);
            if (stepNo != null && !rowOfStep.containsKey(stepNo)) {
                rowOfStep.put(stepNo, i);
            }
            Integer delay = delayMinutes(at);
            Long stepId = existing == null ? null : longValue(at + "id");
            CampaignStep step = new CampaignStep(stepId, stepNo == null ? i + 1 : stepNo, delay == null ? 0 : delay,
                    blank(at + "customTemplate") ? value(at + "template") : value(at + "customTemplate"), subjects);
            step.withChannel(text(at + "channel", "EMAIL"));
            String policy = text(at + "couponPolicy", "NONE");
            if (!"NONE".equals(policy)) {
                step.withCoupon(policy, value(at + "couponOffer"), decimal(at + "couponValue"), integer(at + "couponValidHours", null))
                        .withMaxDiscounts(value(at + "couponMaxDiscounts"));
            }
            List<Integer> conditionRowsOfThisStep = new ArrayList<Integer>();
            for (int c = 0; c < stepConditionRows; c++) {
                String of = at + "conditions[" + c + "].";
                if (blank(of + "type")) {
                    continue;
                }
                try {
                    StepConditionType type = StepConditionType.valueOf(value(of + "type"));
                    step.addCondition(new StepCondition(type, value(of + "currencyCode"), decimal(of + "numberValue"),
                            value(of + "textValue")));
                    conditionRowsOfThisStep.add(c);
                } catch (IllegalArgumentException e) {
                    errors.put(of + "type", shown(of) + "type: unknown condition");
                }
            }
            conditionRowsOfStep.put(i, conditionRowsOfThisStep);
            campaign.addStep(step);
        }
        for (int i = 0; i < conditionRows; i++) {
            String at = "conditions[" + i + "].";
            if (blank(at + "type")) {
                continue;
            }
            try {
                ConditionType type = ConditionType.valueOf(value(at + "type"));
                campaign.addCondition(new CampaignCondition(type, value(at + "currencyCode"), decimal(at + "numberValue"),
                        value(at + "textValue")));
            } catch (IllegalArgumentException e) {
                errors.put(at + "type", at + "type: unknown condition");
            }
        }
        return errors.isEmpty() ? campaign : null;
    }

    /**
     * The step's delay in minutes: "delay" in "delayUnit" (MINUTES, HOURS, DAYS) as the editor sends it, or
     * "delayMinutes" as older forms and scripts send it. Null with an error on the field when missing or not a number.
     */
    private Integer delayMinutes(String at) {
        if (blank(at + "delay") && !blank(at + "delayMinutes")) {
            return integer(at + "delayMinutes", null);
        }
        DelayUnit unit;
        try {
            unit = DelayUnit.valueOf(text(at + "delayUnit", "MINUTES"));
        } catch (IllegalArgumentException e) {
            errors.put(at + "delay", stepPath(at) + "delayUnit: minutes, hours or days");
            return null;
        }
        Integer amount = null;
        try {
            amount = value(at + "delay") == null ? null : Integer.valueOf(value(at + "delay"));
        } catch (NumberFormatException e) {
            errors.put(at + "delay", stepPath(at) + "delay: not a whole number");
        }
        if (amount == null) {
            if (!errors.containsKey(at + "delay")) {
                errors.put(at + "delay", stepPath(at) + "delay: required");
            }
            return null;
        }
        long minutes = (long) amount * unit.minutes;
        if (minutes > Integer.MAX_VALUE || minutes < Integer.MIN_VALUE) {
            errors.put(at + "delay", stepPath(at) + "delay: at most a year");
            return null;
        }
        return (int) minutes;
    }

    /** A field path as problems name it: a step row's "steps[2].x" is "steps[3].x" (steps are counted from 1). */
    private static String shown(String field) {
        return field.startsWith("steps[") ? stepPath(field) + field.substring(field.indexOf("].") + 2) : field;
    }

    /** "steps[3]." for the row "steps[2].": problems name steps by number, counted from 1. */
    private static String stepPath(String rowPrefix) {
        int row = Integer.parseInt(rowPrefix.substring("steps[".length(), rowPrefix.indexOf(']')));
        return "steps[" + (row + 1) + "].";
    }

    /**
     * Moves a step's row up (-1) or down (+1) among the filled rows and numbers the steps 1, 2, 3... in row order.
     * Nothing is saved: the operator sees the new order and saves it.
     */
    public void moveStep(int row, int by) {
        List<Map<String, String>> rows = stepRowsInOrder();
        int to = row + by;
        if (row < 0 || row >= rows.size() || to < 0 || to >= rows.size()) {
            return;
        }
        rows.add(to, rows.remove(row));
        putStepRows(rows);
    }

    /** Adds a copy of a step's row (subjects, coupon, conditions; no id) right after it, and renumbers the steps. */
    public void duplicateStep(int row) {
        List<Map<String, String>> rows = stepRowsInOrder();
        if (row < 0 || row >= rows.size()) {
            return;
        }
        Map<String, String> copy = new LinkedHashMap<String, String>(rows.get(row));
        copy.remove("id");
        rows.add(row + 1, copy);
        putStepRows(rows);
    }

    /** The filled step rows, each as its fields without the "steps[i]." prefix. */
    private List<Map<String, String>> stepRowsInOrder() {
        List<Map<String, String>> rows = new ArrayList<Map<String, String>>();
        for (int i = 0; i < stepRows; i++) {
            String at = "steps[" + i + "].";
            Map<String, String> row = new LinkedHashMap<String, String>();
            for (Map.Entry<String, String> value : values.entrySet()) {
                if (value.getKey().startsWith(at) && value.getValue() != null) {
                    row.put(value.getKey().substring(at.length()), value.getValue());
                }
            }
            boolean filled = row.containsKey("id") || !(isBlank(row.get("template")) && isBlank(row.get("customTemplate"))
                    && isBlank(row.get("delay")) && isBlank(row.get("delayMinutes")));
            if (filled) {
                rows.add(row);
            }
        }
        return rows;
    }

    private void putStepRows(List<Map<String, String>> rows) {
        for (String key : new ArrayList<String>(values.keySet())) {
            if (key.startsWith("steps[")) {
                values.remove(key);
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            for (Map.Entry<String, String> field : rows.get(i).entrySet()) {
                values.put("steps[" + i + "]." + field.getKey(), field.getValue());
            }
            values.put("steps[" + i + "].stepNo", String.valueOf(i + 1));
        }
        stepRows = rows.size() + BLANK_ROWS;
        errors.clear();
    }

    private static boolean isBlank(String value) {
        return value == null || value.trim().isEmpty();
    }

    /** Puts the validator's problems ("steps[2].template: unknown template ...") on their fields. */
    public void addProblems(List<String> problems) {
        for (String problem : problems) {
            int colon = problem.indexOf(':');
            String field = colon < 0 ? "campaign" : onItsRow(problem.substring(0, colon));
            String already = errors.get(field);
            errors.put(field, already == null ? problem : already + "; " + problem);
        }
    }

    private String onItsRow(String field) {
        if (!field.startsWith("steps[")) {
            return field;
        }
        int close = field.indexOf(']');
        try {
            Integer row = rowOfStep.get(Integer.valueOf(field.substring("steps[".length(), close)));
            if (row == null) {
                return field;
            }
            String rest = field.substring(close);
            List<Integer> conditionRows = conditionRowsOfStep.get(row);
            if (rest.startsWith("].conditions[") && conditionRows != null) {
                int end = rest.indexOf(']', 1);
                int position = Integer.parseInt(rest.substring("].conditions[".length(), end));
                if (position < conditionRows.size()) {
                    rest = "].conditions[" + conditionRows.get(position) + rest.substring(end);
                }
            }
            return "steps[" + row + rest;
        } catch (RuntimeException e) {
            return field;
        }
    }

    public String value(String field) {
        String v = values.get(field);
        return v == null || v.trim().isEmpty() ? null : v.trim();
    }

    public String error(String field) {
        return errors.get(field);
    }

    /** Errors of a step or condition row, whatever its field: for messages like "steps[1].stepNo: used twice". */
    public List<String> errorsStartingWith(String prefix) {
        List<String> found = new ArrayList<String>();
        for (Map.Entry<String, String> error : errors.entrySet()) {
            if (error.getKey().startsWith(prefix)) {
                found.add(error.getValue());
            }
        }
        return found;
    }

    /** {@link #errorsStartingWith} as sentences ({@link ReadableProblems}). */
    public List<String> readableErrorsStartingWith(String prefix) {
        List<String> found = new ArrayList<String>();
        for (String error : errorsStartingWith(prefix)) {
            for (String problem : error.split("; (?=[a-zA-Z]+(\\[|\\.|:))")) {
                found.add(ReadableProblems.sentence(problem));
            }
        }
        return found;
    }

    /** {@link #error} as a sentence, or null. */
    public String readableError(String field) {
        String error = errors.get(field);
        return error == null ? null : ReadableProblems.sentence(error);
    }

    public Map<String, String> getErrors() { return errors; }
    /** Every value by field path, as typed or as loaded. */
    public Map<String, String> getValues() { return java.util.Collections.unmodifiableMap(values); }
    public boolean hasErrors() { return !errors.isEmpty(); }
    public List<Integer> getStepIndexes() { return indexes(stepRows); }
    public List<Integer> getConditionIndexes() { return indexes(conditionRows); }
    public List<Integer> getSubjectIndexes() { return indexes(subjectRows); }
    public List<Integer> getStepConditionIndexes() { return indexes(stepConditionRows); }
    public int getStepConditionRows() { return stepConditionRows; }
    public StepConditionType[] getStepConditionTypes() { return StepConditionType.values(); }
    /** The moments a campaign may answer, for the trigger picker. */
    public TriggerType[] getTriggerTypes() { return TriggerType.values(); }
    public int getStepRows() { return stepRows; }
    public int getConditionRows() { return conditionRows; }
    public int getSubjectRows() { return subjectRows; }
    public ConditionType[] getConditionTypes() { return ConditionType.values(); }

    private static List<Integer> indexes(int n) {
        List<Integer> list = new ArrayList<Integer>();
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        return list;
    }

    private boolean blank(String field) {
        return value(field) == null;
    }

    private String text(String field, String otherwise) {
        String v = value(field);
        return v == null ? otherwise : v;
    }

    private Integer integer(String field, Integer otherwise) {
        String v = value(field);
        if (v == null) {
            return otherwise;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            errors.put(field, shown(field) + ": not a whole number");
            return otherwise;
        }
    }

    private Long longValue(String field) {
        String v = value(field);
        if (v == null) {
            return null;
        }
        try {
            return Long.valueOf(v);
        } catch (NumberFormatException e) {
            errors.put(field, shown(field) + ": not an id");
            return null;
        }
    }

    private BigDecimal decimal(String field) {
        String v = value(field);
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            errors.put(field, shown(field) + ": not a number");
            return null;
        }
    }

    private static int count(Map<String, String> values, String field) {
        try {
            String v = values.get(field);
            return v == null ? BLANK_ROWS : Math.min(50, Math.max(0, Integer.parseInt(v.trim())));
        } catch (NumberFormatException e) {
            return BLANK_ROWS;
        }
    }

    private static void put(Map<String, String> values, String field, Object value) {
        if (value != null) {
            values.put(field, value.toString());
        }
    }
}
