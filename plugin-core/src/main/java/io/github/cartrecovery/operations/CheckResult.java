package io.github.cartrecovery.operations;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one health check found: its status, one line for people, the figures it judged by ({@code details}:
 * numbers, strings, instants, or nested maps and lists of them) and, when DOWN, the problems that made it so.
 */
public final class CheckResult {

    private final String name;
    private final HealthStatus status;
    private final String summary;
    private final Map<String, Object> details;
    private final List<Problem> problems;

    private CheckResult(String name, String summary, Map<String, Object> details, List<Problem> problems) {
        this.name = name;
        this.status = problems.isEmpty() ? HealthStatus.UP : HealthStatus.DOWN;
        this.summary = summary;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<String, Object>(details));
        this.problems = Collections.unmodifiableList(new ArrayList<Problem>(problems));
    }

    /** UP when {@code problems} is empty, DOWN otherwise. */
    public static CheckResult of(String name, String summary, Map<String, Object> details, List<Problem> problems) {
        return new CheckResult(name, summary, details, problems);
    }

    /** A check that could not run (its query failed): DOWN with the reason. */
    public static CheckResult failed(String name, String reason) {
        Map<String, Object> details = new LinkedHashMap<String, Object>();
        details.put("error", reason);
        return new CheckResult(name, "check failed: " + reason,
                details, Collections.singletonList(new Problem("check-failed:" + name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-"), name + " check failed: " + reason, null)));
    }

    public String getName() { return name; }
    public HealthStatus getStatus() { return status; }
    public boolean isUp() { return status == HealthStatus.UP; }
    public String getSummary() { return summary; }
    public Map<String, Object> getDetails() { return details; }
    public List<Problem> getProblems() { return problems; }
}
