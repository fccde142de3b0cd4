package io.github.cartrecovery.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.testing.TestDatabase;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;

/**
 * Liquibase 1.2/024 keys a 1.1 database's rollups by channel (all were email; cart rows have none) and lets the
 * SKIPPED events of before be counted once; its rollback adds the channels' rows up again.
 */
class ReportByChannelMigrationIT {

    private static final Date DAY = Date.valueOf("2026-03-02");

    @Test
    void upgradingKeysTheRollupsByChannelAndRollingBackAddsTheChannelsUp() throws Exception {
        try (TestDatabase scratch = TestDatabase.create("report-channel");
             Connection connection = scratch.dataSource().getConnection()) {
            Liquibase liquibase = SchemaMigrationIT.liquibase(connection);
            liquibase.update("cartrecovery-1.1", new Contexts(), new LabelExpression());
            connection.commit();
            JdbcTemplate jdbc = new JdbcTemplate(scratch.dataSource());
            jdbc.update("INSERT INTO CR_REPORT_DAILY (REPORT_DAY, CAMPAIGN_ID, STEP_NO, CURRENCY_CODE, SENT) VALUES (?, 5, 1, 'USD', 3)", DAY);
            jdbc.update("INSERT INTO CR_REPORT_DAILY (REPORT_DAY, CAMPAIGN_ID, STEP_NO, CURRENCY_CODE, ABANDONED_CARTS) "
                    + "VALUES (?, 0, 0, 'USD', 7)", DAY);
            jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, REPORTED) VALUES (1, 'SKIPPED', ?, 1)", DAY);
            jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, REPORTED) VALUES (1, 'SENT', ?, 1)", DAY);

            liquibase.update(new Contexts(), new LabelExpression());
            connection.commit();

            assertThat(jdbc.queryForList("SELECT CAMPAIGN_ID, CHANNEL, SENT, SKIPPED FROM CR_REPORT_DAILY ORDER BY CAMPAIGN_ID"))
                    .extracting(row -> row.get("CAMPAIGN_ID") + " " + row.get("CHANNEL") + " " + row.get("SENT") + " " + row.get("SKIPPED"))
                    .containsExactly("0 - 0 0", "5 EMAIL 3 0");
            assertThat(jdbc.queryForList("SELECT EVENT_TYPE FROM CR_MESSAGE_EVENT WHERE REPORTED = 0", String.class))
                    .containsExactly("SKIPPED");
            // the key now holds a channel: an SMS row of the same day, campaign, step and currency
            jdbc.update("INSERT INTO CR_REPORT_DAILY (REPORT_DAY, CAMPAIGN_ID, STEP_NO, CHANNEL, CURRENCY_CODE, SENT, SKIPPED) "
                    + "VALUES (?, 5, 1, 'SMS', 'USD', 2, 4)", DAY);

            liquibase.rollback("cartrecovery-1.1", new Contexts(), new LabelExpression());
            connection.commit();

            List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM CR_REPORT_DAILY ORDER BY CAMPAIGN_ID");
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0)).doesNotContainKeys("CHANNEL", "channel", "SKIPPED", "skipped");
            assertThat(((Number) rows.get(0).get("ABANDONED_CARTS")).intValue()).isEqualTo(7);
            assertThat(((Number) rows.get(1).get("SENT")).intValue()).isEqualTo(5);

            liquibase.update(new Contexts(), new LabelExpression());
            connection.commit();
            assertThat(jdbc.queryForList("SELECT CHANNEL FROM CR_REPORT_DAILY ORDER BY CAMPAIGN_ID", String.class))
                    .containsExactly("-", "EMAIL");
        }
    }
}
