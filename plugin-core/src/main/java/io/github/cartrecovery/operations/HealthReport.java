package io.github.cartrecovery.operations;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.codehaus.jackson.JsonFactory;
import org.codehaus.jackson.JsonGenerator;

/**
 * The health of the plugin on one node at one instant: UP when every check is, DOWN otherwise. Written as JSON
 * for {@code /cart-recovery/health}: the bare status for anyone, the checks with their figures for an allowed caller.
 */
public final class HealthReport {

    private static final JsonFactory JSON = new JsonFactory();

    private final Instant checkedAt;
    private final List<CheckResult> checks;
    private final HealthStatus status;

    public HealthReport(Instant checkedAt, List<CheckResult> checks) {
        this.checkedAt = checkedAt;
        this.checks = Collections.unmodifiableList(new ArrayList<CheckResult>(checks));
        HealthStatus overall = HealthStatus.UP;
        for (CheckResult check : checks) {
            if (!check.isUp()) {
                overall = HealthStatus.DOWN;
            }
        }
        this.status = overall;
    }

    public Instant getCheckedAt() { return checkedAt; }
    public List<CheckResult> getChecks() { return checks; }
    public HealthStatus getStatus() { return status; }
    public boolean isUp() { return status == HealthStatus.UP; }

    /** Every problem of every check, in check order. */
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<Problem>();
        for (CheckResult check : checks) {
            problems.addAll(check.getProblems());
        }
        return problems;
    }

    /** The check of this name, or null. */
    public CheckResult check(String name) {
        for (CheckResult check : checks) {
            if (check.getName().equals(name)) {
                return check;
            }
        }
        return null;
    }

    /**
     * {@code {"status":"UP"}}, or with {@code details}: {@code {"status":..., "checkedAt":..., "checks":{"scheduler":
     * {"status":..., "summary":..., "problems":[...], "details":{...}}, ...}}}.
     */
    public String toJson(boolean details) {
        StringWriter out = new StringWriter();
        try {
            JsonGenerator json = JSON.createJsonGenerator(out);
            json.writeStartObject();
            json.writeStringField("status", status.name());
            if (details) {
                json.writeStringField("checkedAt", checkedAt.toString());
                json.writeObjectFieldStart("checks");
                for (CheckResult check : checks) {
                    json.writeObjectFieldStart(check.getName());
                    json.writeStringField("status", check.getStatus().name());
                    json.writeStringField("summary", check.getSummary());
                    if (!check.getProblems().isEmpty()) {
                        json.writeArrayFieldStart("problems");
                        for (Problem problem : check.getProblems()) {
                            json.writeString(problem.getSummary());
                        }
                        json.writeEndArray();
                    }
                    json.writeFieldName("details");
                    write(json, check.getDetails());
                    json.writeEndObject();
                }
                json.writeEndObject();
            }
            json.writeEndObject();
            json.close();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string failed", e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                json.writeFieldName(String.valueOf(entry.getKey()));
                write(json, entry.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof Collection) {
            json.writeStartArray();
            for (Object item : (Collection<?>) value) {
                write(json, item);
            }
            json.writeEndArray();
        } else if (value instanceof Integer || value instanceof Long) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Boolean) {
            json.writeBoolean((Boolean) value);
        } else {
            json.writeString(value.toString());
        }
    }
}
