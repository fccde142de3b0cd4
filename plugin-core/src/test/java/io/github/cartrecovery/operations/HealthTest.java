package io.github.cartrecovery.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import io.github.cartrecovery.testing.TestClock;

class HealthTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));

    private static HealthCheck up(String name) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult check(Instant now) {
                return CheckResult.of(name, "fine", Collections.singletonMap("count", 3L), Collections.emptyList());
            }
        };
    }

    @Test
    void aCheckThatThrowsIsDownWithItsReasonAndTheOthersStillRun() {
        HealthCheck broken = new HealthCheck() {
            @Override
            public String name() {
                return "mailServer";
            }

            @Override
            public CheckResult check(Instant now) {
                throw new CannotGetJdbcConnectionException("no connection", new java.sql.SQLException("refused", "08001"));
            }
        };
        HealthReport report = new Health(Arrays.asList(broken, up("backlog")), clock, 5).evaluate();

        assertThat(report.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.check("mailServer").getSummary()).contains("SQLSTATE 08001");
        assertThat(report.problems()).extracting(Problem::getKey).containsExactly("check-failed:mailserver");
        assertThat(report.check("backlog").getStatus()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void theBareStatusSaysNothingElse() {
        HealthReport report = new Health(Collections.singletonList(up("backlog")), clock, 5).report();

        assertThat(report.toJson(false)).isEqualTo("{\"status\":\"UP\"}");
        assertThat(report.toJson(true)).isEqualTo("{\"status\":\"UP\",\"checkedAt\":\"2026-01-05T10:00:00Z\",\"checks\":"
                + "{\"backlog\":{\"status\":\"UP\",\"summary\":\"fine\",\"details\":{\"count\":3}}}}");
    }
}
