package io.github.cartrecovery.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recorded request patterns of {@code tracking/recorded-visits.txt}: link-scanning gateways and people following
 * a recovery email's link. Shared with plugin-site's endpoint tests through the test-jar.
 */
public final class RecordedVisits {

    private RecordedVisits() {
    }

    /** One recorded request: when it came relative to sending, from where, with which headers, and its verdict. */
    public record Visit(String name, String description, String method, Duration afterSending, String address,
                        VisitVerdict.Kind expect, Map<String, String> headers) {

        public String userAgent() {
            return headers.get("User-Agent");
        }

        public LinkVisit at(Instant sentAt) {
            return new LinkVisit(method, userAgent(), address, sentAt.plus(afterSending));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Visit> all() {
        try (InputStream in = RecordedVisits.class.getResourceAsStream("/tracking/recorded-visits.txt")) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Visit> expecting(VisitVerdict.Kind kind) {
        return all().stream().filter(visit -> visit.expect() == kind).toList();
    }

    public static Visit named(String name) {
        return all().stream().filter(visit -> visit.name().equals(name)).findFirst().orElseThrow();
    }

    static List<Visit> parse(String text) {
        List<Visit> visits = new ArrayList<>();
        for (String block : text.split("(?m)^### ")) {
            if (block.isBlank() || block.startsWith("#")) {
                continue;
            }
            String[] lines = block.strip().split("\n");
            String[] title = lines[0].split(": ", 2);
            Map<String, String> fields = new LinkedHashMap<>();
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                String[] pair = lines[i].split(": ?", 2);
                String name = pair[0].strip();
                String value = pair.length > 1 ? pair[1].strip() : "";
                if (List.of("method", "after-sending", "address", "expect").contains(name)) {
                    fields.put(name, value);
                } else {
                    headers.put(name, value);
                }
            }
            visits.add(new Visit(title[0].strip(), title.length > 1 ? title[1] : "", fields.get("method"),
                    duration(fields.get("after-sending")), fields.get("address"),
                    VisitVerdict.Kind.valueOf(fields.get("expect")), Collections.unmodifiableMap(headers)));
        }
        return visits;
    }

    private static Duration duration(String value) {
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("after-sending: " + value);
        };
    }
}
