package io.github.cartrecovery.demo.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The suite's report: one row per scenario, written as Markdown to target/reliability-report.md and printed. */
final class ReliabilityReport {

    /** One scenario's counts; {@code passed} says whether its guarantee held. */
    record Row(String scenario, String fault, long expected, long sent, long duplicates, long lost, long lostUnconfirmed,
               long late, long afterPurchase, long toSuppressed, double seconds, boolean passed, String notes) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> timings = new ArrayList<>();
    private final String title;

    ReliabilityReport(String title) {
        this.title = title;
    }

    void add(Row row) {
        rows.add(row);
        System.out.println("[reliability] " + row.scenario() + ": " + (row.passed() ? "PASS" : "FAIL") + " " + row);
    }

    void timing(String what, double seconds) {
        String line = String.format(Locale.ROOT, "%s: %.1f s", what, seconds);
        timings.add(line);
        System.out.println("[reliability] " + line);
    }

    boolean allPassed() {
        return !rows.isEmpty() && rows.stream().allMatch(Row::passed);
    }

    /** The rows that broke their promise, whole (so a failing run says which scenario and what it counted). */
    String failures() {
        return rows.stream().filter(row -> !row.passed()).map(Row::toString)
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# Reliability report: ").append(title).append("\n\n");
        md.append("| scenario | injected fault | expected | sent | duplicates | lost (of which unconfirmed) | late | "
                + "sent after purchase | to suppressed | seconds | result |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Row row : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d (%d) | %d | %d | %d | %.0f | %s |%n",
                    row.scenario(), row.fault(), row.expected(), row.sent(), row.duplicates(), row.lost(),
                    row.lostUnconfirmed(), row.late(), row.afterPurchase(), row.toSuppressed(), row.seconds(),
                    row.passed() ? "pass" : "**FAIL**"));
        }
        md.append("\n");
        for (Row row : rows) {
            md.append("- **").append(row.scenario()).append("**: ").append(row.notes()).append("\n");
        }
        md.append("\nTimings:\n\n");
        for (String timing : timings) {
            md.append("- ").append(timing).append("\n");
        }
        return md.toString();
    }

    void write(Path file) {
        String text = markdown();
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println();
        System.out.println(text);
    }
}
