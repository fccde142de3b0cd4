package io.github.cartrecovery.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

class ReportPresetsTest {

    @Test
    void presetsEndOnTheStoresTodayAndLastMonthIsWhole() {
        List<ReportPresets.Preset> presets = ReportPresets.from(LocalDate.parse("2026-03-15"));

        assertThat(presets).extracting(p -> p.getKey().substring("cartRecovery.report.preset.".length()) + " " + p.getFrom() + ".." + p.getTo())
                .containsExactly("last7 2026-03-09..2026-03-15", "last30 2026-02-14..2026-03-15", "thisMonth 2026-03-01..2026-03-15",
                        "lastMonth 2026-02-01..2026-02-28", "thisYear 2026-01-01..2026-03-15");
    }

    @Test
    void lastMonthInJanuaryIsLastYearsDecember() {
        ReportPresets.Preset lastMonth = ReportPresets.from(LocalDate.parse("2027-01-03")).get(3);

        assertThat(lastMonth.getFrom()).isEqualTo(LocalDate.parse("2026-12-01"));
        assertThat(lastMonth.getTo()).isEqualTo(LocalDate.parse("2026-12-31"));
    }
}
