package io.github.cartrecovery.demo.reliability.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What every answer to hostile input must be: a status below 500, no stack trace or exception class name, no
 * reflected payload in executable form, no header made of the payload. Problems are collected, not thrown, so one
 * run reports every case that broke.
 */
final class HostileResponses {

    /**
     * Traces of an exception shown to the client: class names, stack frames, framework packages. Quantifiers are
     * bounded: an answer echoing a 100 KB word would otherwise cost the regex minutes.
     */
    static final Pattern LEAK = Pattern.compile("(?i)(\\w{0,80}exception\\b|\\bat [\\w$.]{1,300}\\([\\w$]{1,100}\\.java(:\\d+)?\\)|caused by:|"
            + "org\\.springframework|org\\.hibernate|org\\.broadleafcommerce|org\\.eclipse\\.jetty\\.(server|servlet|http)|"
            + "java\\.lang\\.|javax\\.servlet|io\\.github\\.cartrecovery|\\.java:\\d+)");

    private final List<String> problems = new ArrayList<>();
    private int checked;

    /**
     * Checks one answer. {@code reflected} are substrings that must never come back verbatim (the executable form of
     * the payload: {@code <script>alert('crx1')}, an event handler attribute...).
     */
    RawHttp.Response check(String what, RawHttp.Response response, String... reflected) {
        checked++;
        if (response.status() < 100) {
            problems.add(what + ": no HTTP answer (connection closed): " + response);
            return response;
        }
        if (response.status() >= 500) {
            problems.add(what + ": " + response.status() + ": " + response);
        }
        String body = response.text();
        var leak = LEAK.matcher(body);
        if (leak.find()) {
            problems.add(what + ": the answer shows '" + leak.group() + "': " + response);
        }
        var headLeak = LEAK.matcher(response.rawHead());
        if (headLeak.find()) {
            problems.add(what + ": a header shows '" + headLeak.group() + "': " + response.rawHead());
        }
        for (String payload : reflected) {
            if (body.contains(payload) || response.rawHead().contains(payload)) {
                problems.add(what + ": reflects '" + payload + "' unescaped: " + response);
            }
        }
        for (String[] header : response.headers()) {
            String name = header[0].toLowerCase(Locale.ROOT);
            if (name.startsWith("x-injected") || (name.equals("set-cookie") && header[1].contains("crinjected"))) {
                problems.add(what + ": header injected: " + header[0] + ": " + header[1]);
            }
        }
        return response;
    }

    void problem(String problem) {
        problems.add(problem);
    }

    void expectStatus(String what, RawHttp.Response response, int... allowed) {
        for (int status : allowed) {
            if (response.status() == status) {
                return;
            }
        }
        problems.add(what + ": expected one of " + java.util.Arrays.toString(allowed) + ", got " + response);
    }

    /** Nothing written: every CR_ table and BLC_ORDER have as many rows as before. */
    void expectNoNewRows(Map<String, Long> before, Map<String, Long> after) {
        for (Map.Entry<String, Long> table : after.entrySet()) {
            Long was = before.get(table.getKey());
            if (!table.getValue().equals(was)) {
                problems.add(table.getKey() + ": " + was + " rows before, " + table.getValue() + " after");
            }
        }
    }

    int checked() {
        return checked;
    }

    List<String> problems() {
        return problems;
    }

    String report() {
        return problems.size() + " problem(s) in " + checked + " answers:\n  " + String.join("\n  ", problems);
    }
}
