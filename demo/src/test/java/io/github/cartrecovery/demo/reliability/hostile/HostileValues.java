package io.github.cartrecovery.demo.reliability.hostile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What a shopper can type into a host form: lengths 0 to 10,000, characters of every Unicode plane, NUL and other
 * controls, bidirectional marks, emoji, CR/LF, SQL and HTML fragments, and email addresses that are valid per
 * RFC 5321/5322 but unusual (quoted local parts, IP literals, a 64-character local part, 254/255/256-character
 * addresses, IDN domains, plus-addressing). Deterministic: fixed lists, then variants from a fixed seed.
 */
final class HostileValues {

    /** Markup whose executable form must never come back from the host; each carries a marker the suite looks for. */
    static final List<String> MARKUP = List.of(
            "<script>alert('crh1')</script>",
            "\"><img src=x onerror=alert('crh2')>",
            "'><svg/onload=alert('crh3')>",
            "</title><script>crh4</script>",
            "<iframe src=javascript:alert('crh5')>",
            "<a href=\"javascript:alert('crh6')\">x</a>",
            "<body onload=alert('crh7')>",
            "<!--<script>crh8</script>-->",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert('crh9')>",
            "{{7*7}}[[${7*7}]]<b>crh10</b>",
            "<scr<script>ipt>alert('crh11')</script>",
            "%3Cscript%3Ealert('crh12')%3C/script%3E");

    static final List<String> SQL = List.of(
            "' OR '1'='1", "' OR 1=1 --", "1; DROP TABLE CR_CAPTURED_CART; --", "x'); DELETE FROM BLC_ORDER; --",
            "1' UNION SELECT EMAIL FROM CR_PLANNED_MESSAGE--", "1 AND SLEEP(5)", "'; SELECT pg_sleep(5); --",
            "\\'; DROP TABLE BLC_CUSTOMER; #", "admin'--", "' || (SELECT version()) || '", "%' AND '%'='", "\"; SHUTDOWN; --");

    static final List<String> CONTROLS = List.of(
            "\u0000", "a\u0000b", "\u0000@example.com", "\u0001\u0002\u0003\u0007\u0008\u001b[31m", "\u007f", "\u0085", "\u2028\u2029",
            "\r\n", "\r", "\n", "a\r\nBcc: all@example.com", "a\nTo: all@example.com", "\t", " ", "   ", "\u00a0", "\u3000",
            "\ufeff", "\ufffe", "\uffff", "\ud800", "\udfff", "\udc00\ud800");

    static final List<String> BIDI_AND_EMOJI = List.of(
            "\u200f", "\u202e", "\u202egpj.exe", "abc\u202edef", "\u2066x\u2069", "\u2067\u05e9\u05dc\u05d5\u05dd\u2069", "\u061c",
            "\u200b", "\u200d", "\u200c", "\u034f", "a\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307",
            "\ud83d\ude00", "\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67\u200d\ud83d\udc66", "\ud83c\udff3\ufe0f\u200d\ud83c\udf08",
            "\ud83c\uddfa\ud83c\uddf8", "\ud83d\udc4d\ud83c\udffd", "\u2764\ufe0f", "\ud83e\udd84".repeat(50));

    /** Addresses RFC 5321/5322 allow (or allow in most parts) that few forms expect. */
    static List<String> unusualAddresses() {
        List<String> addresses = new ArrayList<>(List.of(
                "\"john doe\"@example.com", "\"john@doe\"@example.com", "\"\\\"\"@example.com", "\"\"@example.com",
                "\"a\\\\b\"@example.com", "\"<script>alert('crh13')</script>\"@example.com",
                "user@[192.0.2.1]", "user@[IPv6:2001:db8::1]", "user@[IPv6:::1]", "user@[300.300.300.300]",
                "jane+cart@example.com", "jane+@example.com", "jane+a+b+c@example.com", "+@example.com",
                "jane.doe@example.com", "Jane.Doe@Example.COM", "JANE@EXAMPLE.COM", "a.b.c.d.e.f@example.com",
                "o'brien@example.com", "x!#$%&'*+/=?^_`{|}~-y@example.com", "a@b.co", "a@example", "a@localhost",
                "a@example.com.", ".a@example.com", "a.@example.com", "a..b@example.com", "a@-example.com", "a@example..com",
                "a@@example.com", "@example.com", "a@", "@", "a", "a@b@c@example.com", "a @example.com", "a@exa mple.com",
                "user@b\u00fccher.example", "user@xn--bcher-kva.example", "\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a",
                "\u0627\u0644\u0639\u0631\u0628\u064a\u0629@\u0645\u062b\u0627\u0644.\u0625\u062e\u062a\u0628\u0627\u0631",
                "\u00fcser@example.com", "user@\u0435xample.com", "user@xn--80ak6aa92e.com", "user@example.\u043a\u043e\u043c",
                "postmaster@[IPv6:2001:0db8:85a3:0000:0000:8a2e:0370:7334]", "\"very.(),:;<>[]\\\".VERY.\\\"very@\\\\ \\\"very\\\".unusual\"@strange.example.com",
                "user%example.org@example.com", "user-@example.org", "mailhost!username@example.org", "_______@example.com",
                "1234567890@example.com", "email@123.123.123.123", "email@example.name", "email@example.museum"));
        String local64 = "l".repeat(64);
        addresses.add(local64 + "@example.com");
        addresses.add("l".repeat(65) + "@example.com");
        addresses.add("\"" + "q".repeat(62) + "\"@example.com");
        for (int length : new int[] {253, 254, 255, 256, 257, 300, 320, 321, 1000, 10_000}) {
            addresses.add(addressOfLength(length));
        }
        addresses.add(local64 + "@" + "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(50) + ".com");
        addresses.add("a@" + "sub.".repeat(60) + "example.com");
        return addresses;
    }

    /** {@code user<n>@d.example.com}-style address of exactly {@code length} characters (a 64-char local part when long enough). */
    static String addressOfLength(int length) {
        String domainEnd = ".example.com";
        int local = Math.min(64, length - 1 - domainEnd.length() - 1);
        int labels = length - local - 1 - domainEnd.length();
        StringBuilder domain = new StringBuilder();
        while (domain.length() < labels) {
            int label = Math.min(63, labels - domain.length());
            if (domain.length() > 0) {
                label = Math.min(label, labels - domain.length() - 1);
                domain.append('.');
            }
            domain.append("d".repeat(Math.max(1, label)));
        }
        String address = "u".repeat(local) + "@" + domain + domainEnd;
        if (address.length() != length) {
            throw new IllegalStateException("address of " + address.length() + " characters, wanted " + length);
        }
        return address;
    }

    /** One code point from each of the 17 planes, assigned or not (planes 3 to 13 are mostly unassigned; 14 holds tags). */
    static List<String> everyPlane() {
        int[] points = {0x00e9, 0x4e2d, 0xfffd, 0x1f600, 0x1d11e, 0x10348, 0x20000, 0x2a6d6, 0x30000, 0x3134a, 0x40000, 0x50000,
            0x60000, 0x70000, 0x80000, 0x90000, 0xa0000, 0xb0000, 0xc0000, 0xd0000, 0xe0001, 0xe0041, 0xe01ef, 0xf0000, 0xffffd,
            0x100000, 0x10fffd, 0x10ffff};
        List<String> values = new ArrayList<>();
        for (int point : points) {
            values.add(new String(Character.toChars(point)));
        }
        return values;
    }

    /** Every value, at least {@code atLeast}: the lists above, each in three forms, then seeded random strings. */
    static List<String> all(int atLeast, long seed) {
        Set<String> values = new LinkedHashSet<>();
        for (int length : new int[] {0, 1, 2, 63, 64, 65, 99, 100, 101, 254, 255, 256, 1000, 4096, 10_000}) {
            values.add("a".repeat(length));
        }
        values.addAll(unusualAddresses());
        List<String> fragments = new ArrayList<>();
        fragments.addAll(MARKUP);
        fragments.addAll(SQL);
        fragments.addAll(CONTROLS);
        fragments.addAll(BIDI_AND_EMOJI);
        fragments.addAll(everyPlane());
        for (String fragment : fragments) {
            values.add(fragment);
            values.add("shopper" + fragment + "@example.com");   // in an address's local part
            values.add("Name " + fragment + " End");              // inside a name or a street
            values.add(pad(fragment, 255));                       // the fragment at a column's edge
        }
        Random random = new Random(seed);
        int[] lengths = {0, 1, 3, 8, 30, 64, 100, 200, 254, 255, 256, 512, 1024, 4000, 10_000};
        while (values.size() < atLeast) {
            int length = random.nextInt(4) == 0 ? random.nextInt(10_001) : lengths[random.nextInt(lengths.length)];
            StringBuilder value = new StringBuilder();
            while (value.length() < length) {
                value.appendCodePoint(randomCodePoint(random));
            }
            String text = value.length() > length ? value.substring(0, length) : value.toString();
            values.add(random.nextBoolean() ? text : text + "@example.com");
        }
        return new ArrayList<>(values);
    }

    private static String pad(String fragment, int length) {
        StringBuilder padded = new StringBuilder(fragment);
        while (padded.length() < length) {
            padded.append('p');
        }
        return padded.toString();
    }

    /** Mostly printable ASCII (so some random addresses are valid), the rest from every plane, controls included. */
    private static int randomCodePoint(Random random) {
        switch (random.nextInt(6)) {
            case 0:
            case 1:
                return 0x20 + random.nextInt(0x5f);
            case 2:
                return random.nextInt(0x20);
            case 3:
                return 0x80 + random.nextInt(0xd800 - 0x80);
            case 4:
                return 0x10000 + random.nextInt(0x10ffff - 0x10000);
            default:
                return "<>\"'&;@\\%\u200f\u202e\u0000".charAt(random.nextInt(12));
        }
    }

    /** Short printable form of a value for problem reports. */
    static String describe(String value) {
        StringBuilder shown = new StringBuilder();
        value.codePoints().limit(40).forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.SURROGATE || Character.getType(c) == Character.UNASSIGNED) {
                shown.append(String.format("\\u{%x}", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return "'" + shown + (value.codePointCount(0, value.length()) > 40 ? "...' (" + value.length() + " chars)" : "'");
    }

    private HostileValues() {
    }
}
