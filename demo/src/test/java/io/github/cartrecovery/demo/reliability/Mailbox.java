package io.github.cartrecovery.demo.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the SMTP sink accepted, read from its log: one receipt per accepted recipient. */
final class Mailbox {

    /** The plugin's Message-ID: {@code <cr.<planned message id>.<random>@domain>} (before 1.1 {@code <cr-<id>@domain>}). */
    private static final Pattern PLANNED_ID = Pattern.compile("<cr[.-](\\d+)[.@]");

    /** {@code products}: the suite's catalog products the message names (MailSink's fourth field). */
    record Receipt(long receivedAtMillis, long plannedId, String messageId, String recipient, java.util.Set<String> products) {
    }

    static List<Receipt> read(Path log) {
        List<Receipt> receipts = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines) {
            String[] fields = line.split("\t");
            if (fields.length < 3) {
                continue; // a line cut short by a stopped sink
            }
            Matcher id = PLANNED_ID.matcher(fields[1]);
            receipts.add(new Receipt(Long.parseLong(fields[0]), id.find() ? Long.parseLong(id.group(1)) : -1, fields[1], fields[2],
                    fields.length > 3 && !fields[3].isEmpty() ? java.util.Set.of(fields[3].split(",")) : java.util.Set.of()));
        }
        return receipts;
    }
}
