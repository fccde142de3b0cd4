package io.github.cartrecovery.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.testing.TestDatabase;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;

/** Liquibase 015 brings the suppressions a 1.0 database holds to the one form every lookup uses. */
class SuppressionNormalisedMigrationIT {

    @Test
    void upgradingLowerCasesEverySuppressionAndMergesThoseThatDifferOnlyByCase() throws Exception {
        try (TestDatabase scratch = TestDatabase.create("suppression-case");
             Connection connection = scratch.dataSource().getConnection()) {
            Liquibase liquibase = SchemaMigrationIT.liquibase(connection);
            liquibase.update("cartrecovery-1.0", new Contexts(), new LabelExpression());
            connection.commit();
            JdbcTemplate jdbc = new JdbcTemplate(scratch.dataSource());
            suppress(jdbc, "Jane.Doe@Example.com", "UNSUBSCRIBED", "2026-01-01 10:00:00");
            suppress(jdbc, "Solo@Example.COM ", "MANUAL", "2026-01-01 10:00:00");
            boolean collationIgnoresCase = jdbc.queryForObject(
                    "SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = 'jane.doe@example.com'", Integer.class) == 1;
            if (!collationIgnoresCase) { // MariaDB's unique index never let these in
                suppress(jdbc, "jane.doe@example.com", "BOUNCED", "2026-01-02 10:00:00");
                suppress(jdbc, "JANE.DOE@EXAMPLE.COM", "MANUAL", "2026-01-03 10:00:00");
            }

            liquibase.update(new Contexts(), new LabelExpression());
            connection.commit();

            List<Map<String, Object>> rows = jdbc.queryForList("SELECT EMAIL, REASON FROM CR_SUPPRESSION ORDER BY EMAIL");
            assertThat(rows).extracting(row -> row.get("EMAIL")).containsExactly("jane.doe@example.com", "solo@example.com");
            // a bounce outranks an unsubscribe (which a resubscribe could take back), then the oldest row stays
            assertThat(rows.get(0).get("REASON")).isEqualTo(collationIgnoresCase ? "UNSUBSCRIBED" : "BOUNCED");
        }
    }

    private static void suppress(JdbcTemplate jdbc, String email, String reason, String at) {
        jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES (?, ?, 'test', ?)",
                email, reason, Timestamp.valueOf(at));
    }
}
