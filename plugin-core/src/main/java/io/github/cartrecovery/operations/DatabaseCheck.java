package io.github.cartrecovery.operations;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.github.cartrecovery.database.SqlFailures;

/**
 * Health entry {@code database}: a connection from Broadleaf's pool answers a one-row query of the plugin's own
 * table within {@code cartrecovery.health.database.timeout-seconds}. DOWN when it does not; the round trip is in the
 * details.
 */
public class DatabaseCheck implements HealthCheck {

    static final String PROBLEM = "database";

    private final DataSource dataSource;
    private final int timeoutSeconds;

    public DatabaseCheck(DataSource dataSource, int timeoutSeconds) {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("cartrecovery.health.database.timeout-seconds must be at least 1, was " + timeoutSeconds);
        }
        this.dataSource = dataSource;
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public CheckResult check(Instant now) {
        Map<String, Object> details = new LinkedHashMap<String, Object>();
        long start = System.nanoTime();
        List<Problem> problems = Collections.emptyList();
        String summary;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(timeoutSeconds);
            statement.executeQuery("SELECT COUNT(*) FROM CR_SETTING").close();
            summary = "answers";
        } catch (SQLException | RuntimeException e) {
            summary = "unreachable: " + SqlFailures.reason(e);
            details.put("error", SqlFailures.reason(e));
            problems = Collections.singletonList(new Problem(PROBLEM, "the database does not answer: " + SqlFailures.reason(e), null));
        }
        details.put("roundTripMillis", (System.nanoTime() - start) / 1_000_000L);
        return CheckResult.of(name(), summary, details, problems);
    }
}
