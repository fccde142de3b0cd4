package io.github.cartrecovery.admin.web;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The report's date presets, computed from the store's today: last 7 and 30 days, this month, last month, this year.
 * Each is a link with plain ISO dates, so it works like the filter form.
 */
public final class ReportPresets {

    /** One preset: its message key and its days (both inclusive). */
    public static final class Preset {
        private final String key;
        private final LocalDate from;
        private final LocalDate to;

        Preset(String key, LocalDate from, LocalDate to) {
            this.key = key;
            this.from = from;
            this.to = to;
        }

        public String getKey() { return key; }
        public LocalDate getFrom() { return from; }
        public LocalDate getTo() { return to; }
    }

    private ReportPresets() {
    }

    public static List<Preset> from(LocalDate today) {
        List<Preset> presets = new ArrayList<Preset>();
        presets.add(new Preset("cartRecovery.report.preset.last7", today.minusDays(6), today));
        presets.add(new Preset("cartRecovery.report.preset.last30", today.minusDays(29), today));
        presets.add(new Preset("cartRecovery.report.preset.thisMonth", today.withDayOfMonth(1), today));
        LocalDate lastMonth = today.withDayOfMonth(1).minusMonths(1);
        presets.add(new Preset("cartRecovery.report.preset.lastMonth", lastMonth,
                lastMonth.withDayOfMonth(lastMonth.lengthOfMonth())));
        presets.add(new Preset("cartRecovery.report.preset.thisYear", today.withDayOfYear(1), today));
        return Collections.unmodifiableList(presets);
    }
}
