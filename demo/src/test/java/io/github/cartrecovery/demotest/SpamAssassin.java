package io.github.cartrecovery.demotest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Debian's SpamAssassin ({@code spamassassin}, installed with apt-get when missing; CI runs as root), run with local
 * tests only ({@code -L}: no DNS blocklists, no network), scoring one raw message.
 */
final class SpamAssassin {

    static final Path BINARY = Path.of("/usr/bin/spamassassin");
    private static final Pattern STATUS = Pattern.compile(
            "(?ms)^X-Spam-Status: (Yes|No), score=(-?[0-9.]+) required=[0-9.]+\\s+tests=(.*?)\\s+autolearn");

    /** One message's verdict: its score and the rules it hit. */
    record Verdict(double score, List<String> rules) {
    }

    private SpamAssassin() {
    }

    static synchronized void installIfMissing() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        run(List.of("apt-get", "update"));
        run(List.of("apt-get", "install", "-y", "--no-install-recommends", "spamassassin"));
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("apt-get did not install " + BINARY);
        }
    }

    /** Scores a raw RFC 822 message with local tests only. */
    static Verdict score(byte[] message) throws IOException, InterruptedException {
        Path errorsFile = Files.createTempFile("spamassassin", ".err");
        Process process = new ProcessBuilder(BINARY.toString(), "-L", "-t").redirectError(errorsFile.toFile()).start();
        process.getOutputStream().write(message);
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("spamassassin took more than 2 minutes");
        }
        String errors = Files.readString(errorsFile);
        Files.deleteIfExists(errorsFile);
        String checked = new String(out, StandardCharsets.UTF_8);
        Matcher status = STATUS.matcher(checked);
        if (!status.find()) {
            throw new IllegalStateException("spamassassin gave no X-Spam-Status header (exit " + process.exitValue()
                    + "): " + errors);
        }
        List<String> rules = Arrays.stream(status.group(3).split("[,\\s]+")).map(String::trim)
                .filter(rule -> !rule.isEmpty() && !"none".equals(rule)).collect(Collectors.toCollection(ArrayList::new));
        return new Verdict(Double.parseDouble(status.group(2)), rules);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).inheritIO().start();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + exit
                    + " (the test needs root to install spamassassin, or spamassassin installed)");
        }
    }
}
