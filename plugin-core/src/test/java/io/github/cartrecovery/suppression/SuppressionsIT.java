package io.github.cartrecovery.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.testing.PluginSchema;
import io.github.cartrecovery.testing.TestDatabase;

/** The writes of CR_SUPPRESSION, on the plugin's schema (no Broadleaf needed). */
class SuppressionsIT {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private static TestDatabase database;
    private static JdbcTemplate jdbc;
    private final Suppressions suppressions = new Suppressions(jdbc);

    @BeforeAll
    static void schema() throws Exception {
        database = TestDatabase.create("suppressions");
        PluginSchema.migrate(database.dataSource());
        jdbc = new JdbcTemplate(database.dataSource());
    }

    @AfterAll
    static void drop() {
        database.close();
    }

    @BeforeEach
    void empty() {
        jdbc.update("DELETE FROM CR_SUPPRESSION");
    }

    @Test
    void suppressesAnAddressOnceInItsOneForm() {
        assertThat(suppressions.suppress("  Jane.Doe@Example.com ", SuppressionReason.BOUNCED, "smtp: 550 no such user", NOW))
                .isTrue();
        assertThat(suppressions.suppress("JANE.DOE@EXAMPLE.COM", SuppressionReason.UNSUBSCRIBED, "one-click", NOW)).isFalse();

        Map<String, Object> row = jdbc.queryForMap("SELECT EMAIL, REASON, SOURCE FROM CR_SUPPRESSION");
        assertThat(row).containsEntry("EMAIL", "jane.doe@example.com").containsEntry("REASON", "BOUNCED")
                .containsEntry("SOURCE", "smtp: 550 no such user");
        assertThat(suppressions.isSuppressed("Jane.Doe@example.com")).isTrue();
    }

    @Test
    void cutsALongSourceToTheColumn() {
        String reply = "smtp: 550 " + "x".repeat(400);

        assertThat(suppressions.suppress("jane@example.com", SuppressionReason.BOUNCED, reply, NOW)).isTrue();

        assertThat(jdbc.queryForObject("SELECT SOURCE FROM CR_SUPPRESSION", String.class)).isEqualTo(reply.substring(0, 255));
    }

    @Test
    void liftsASuppressionOnlyForItsReason() {
        suppressions.suppress("jane@example.com", SuppressionReason.BOUNCED, "smtp", NOW);
        suppressions.suppress("joe@example.com", SuppressionReason.UNSUBSCRIBED, "page (message 7)", NOW);

        assertThat(suppressions.lift("Jane@example.com", SuppressionReason.UNSUBSCRIBED)).isFalse();
        assertThat(suppressions.isSuppressedFor("joe@example.com", SuppressionReason.UNSUBSCRIBED)).isTrue();
        assertThat(suppressions.lift("Joe@Example.com", SuppressionReason.UNSUBSCRIBED)).isTrue();

        assertThat(suppressions.isSuppressed("jane@example.com")).isTrue();
        assertThat(suppressions.isSuppressed("joe@example.com")).isFalse();
    }

    @Test
    void erasesTheAddressWhateverItsReasonAndForm() {
        // a row from before addresses were normalised (Liquibase 015 lower-cases them; the erasure never relies on it)
        jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES (' Jane@Example.com', 'MANUAL', 'admin', ?)",
                java.sql.Timestamp.from(NOW));
        suppressions.suppress("joe@example.com", SuppressionReason.BOUNCED, "smtp", NOW);

        assertThat(suppressions.erase("jane@example.com")).isEqualTo(1);

        assertThat(jdbc.queryForList("SELECT EMAIL FROM CR_SUPPRESSION", String.class)).containsExactly("joe@example.com");
    }
}
