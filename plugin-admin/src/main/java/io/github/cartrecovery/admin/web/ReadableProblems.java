package io.github.cartrecovery.admin.web;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the validator's path-style problems ("steps[2].couponValue: at most 5 decimals",
 * "conditions.HIGH_VALUE.currencyCode: a 3-letter ISO 4217 code like USD", "steps[3].conditions[0].textValue: ...")
 * into what the editor shows next to the field: "Step 2, maximum discount: at most 5 decimals". The rule itself is
 * the validator's text, unchanged. Stateless.
 */
public final class ReadableProblems {

    private static final Pattern STEP = Pattern.compile("^steps\\[(-?\\d+)\\]\\.(?:conditions\\[(\\d+)\\]\\.)?([A-Za-z]+)$");
    private static final Pattern AUDIENCE = Pattern.compile("^conditions\\.([A-Z_]+)(?:\\.([A-Za-z]+))?$");
    private static final Pattern FORM_ROW = Pattern.compile("^conditions\\[(\\d+)\\]\\.([A-Za-z]+)$");
    private static final Map<String, String> FIELDS = new HashMap<String, String>();

    static {
        FIELDS.put("name", "Name");
        FIELDS.put("status", "Status");
        FIELDS.put("priority", "Priority");
        FIELDS.put("id", "Campaign");
        FIELDS.put("steps", "Steps");
        FIELDS.put("endsAt", "End");
        FIELDS.put("stepNo", "step number");
        FIELDS.put("delay", "delay");
        FIELDS.put("delayMinutes", "delay (minutes)");
        FIELDS.put("delayUnit", "delay unit");
        FIELDS.put("channel", "channel");
        FIELDS.put("template", "template");
        FIELDS.put("subjects", "subject");
        FIELDS.put("couponPolicy", "coupon policy");
        FIELDS.put("couponOffer", "coupon offer");
        FIELDS.put("couponValue", "maximum discount");
        FIELDS.put("couponMaxDiscounts", "maximum discount per currency");
        FIELDS.put("couponValidHours", "coupon valid for (hours)");
        FIELDS.put("type", "type");
        FIELDS.put("currencyCode", "currency");
        FIELDS.put("numberValue", "amount");
        FIELDS.put("textValue", "value");
    }

    private ReadableProblems() {
    }

    /** The problem with its field path said in words; a problem without a known path is returned as it is. */
    public static String sentence(String problem) {
        int colon = problem.indexOf(": ");
        if (colon < 0) {
            return problem;
        }
        String where = where(problem.substring(0, colon));
        return where == null ? problem : where + ": " + problem.substring(colon + 2);
    }

    private static String where(String path) {
        Matcher step = STEP.matcher(path);
        if (step.matches()) {
            String field = field(step.group(3));
            return step.group(2) == null ? "Step " + step.group(1) + ", " + field
                    : "Step " + step.group(1) + ", send-time condition " + (Integer.parseInt(step.group(2)) + 1) + ", " + field;
        }
        Matcher audience = AUDIENCE.matcher(path);
        if (audience.matches()) {
            return "Audience condition " + audience.group(1) + (audience.group(2) == null ? "" : ", " + field(audience.group(2)));
        }
        Matcher row = FORM_ROW.matcher(path);
        if (row.matches()) {
            return "Audience condition " + (Integer.parseInt(row.group(1)) + 1) + ", " + field(row.group(2));
        }
        return FIELDS.get(path);
    }

    private static String field(String name) {
        String label = FIELDS.get(name);
        return label == null ? name : label;
    }
}
