package io.github.cartrecovery.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/** Entry point of benchmarks/run: runs the named benchmark (or all) and exits non-zero on an error. */
public final class Benchmarks {

    interface Benchmark {
        /** Prints a readable table and, as its last line, RESULT name key=value ... goal_met=true|false. */
        void run() throws Exception;
    }

    /** Held so the level sticks (java.util.logging keeps loggers weakly). */
    private static final java.util.logging.Logger LIQUIBASE = java.util.logging.Logger.getLogger("liquibase");

    public static void main(String[] args) throws Exception {
        LIQUIBASE.setLevel(java.util.logging.Level.WARNING);
        Map<String, Benchmark> benchmarks = new LinkedHashMap<>();
        benchmarks.put("capture", new CaptureBenchmark());
        benchmarks.put("delivery", new DeliveryBenchmark());
        benchmarks.put("report", new ReportBenchmark());
        benchmarks.put("snippet", new SnippetBenchmark());
        benchmarks.put("experiments", new ExperimentsBenchmark());
        String name = args.length == 0 ? "all" : args[0];
        if (!name.equals("all") && !benchmarks.containsKey(name)) {
            System.err.println("unknown benchmark '" + name + "'; known: " + benchmarks.keySet() + " or all");
            System.exit(2);
        }
        try {
            for (Map.Entry<String, Benchmark> benchmark : benchmarks.entrySet()) {
                if (name.equals("all") || name.equals(benchmark.getKey())) {
                    benchmark.getValue().run();
                }
            }
        } catch (Exception | Error e) {
            // Broadleaf leaves non-daemon threads behind: exit explicitly, or a failed benchmark would hang
            e.printStackTrace();
            System.err.println("benchmark " + name + " failed: " + e);
            System.exit(1);
        }
        System.exit(0);
    }
}
