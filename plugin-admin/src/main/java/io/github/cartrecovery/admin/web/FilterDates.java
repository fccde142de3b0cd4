package io.github.cartrecovery.admin.web;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** A date typed into a screen's filter (ISO, e.g. 2026-01-31); an unparsable one becomes an error naming the field. */
final class FilterDates {

    private FilterDates() {
    }

    /** The date, {@code otherwise} when empty, or {@code otherwise} and an error in {@code errors} when unparsable. */
    static LocalDate parse(String field, String value, LocalDate otherwise, List<String> errors) {
        if (value == null || value.trim().isEmpty()) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            errors.add(field + ": expected a date like 2026-01-31");
            return otherwise;
        }
    }
}
