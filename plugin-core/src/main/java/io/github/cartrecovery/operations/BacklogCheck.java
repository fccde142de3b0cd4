package io.github.cartrecovery.operations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Health entry {@code backlog}: the planned messages already due and not sent. DOWN when the oldest has been due
 * for longer than {@code cartrecovery.health.backlog.max-age-minutes}: delivery is stopped or cannot keep up.
 * A message waiting for quiet hours or a retry is not due yet, so it never counts. One query on
 * IX_CR_PLANNED_STATUS_DUE (STATUS, DUE_AT).
 */
public class BacklogCheck implements HealthCheck {

    static final String PROBLEM = "backlog";

    private final JdbcTemplate jdbc;
    private final Duration maxAge;

    public BacklogCheck(DataSource dataSource, int maxAgeMinutes) {
        if (maxAgeMinutes < 1) {
            throw new IllegalArgumentException("cartrecovery.health.backlog.max-age-minutes must be at least 1, was " + maxAgeMinutes);
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.maxAge = Duration.ofMinutes(maxAgeMinutes);
    }

    @Override
    public String name() {
        return "backlog";
    }

    @Override
    public CheckResult check(Instant now) {
        Object[] row = jdbc.queryForObject("SELECT COUNT(*), MIN(DUE_AT) FROM CR_PLANNED_MESSAGE WHERE STATUS = 'PLANNED'"
                + " AND DUE_AT <= ?", new RowMapper<Object[]>() {
                    @Override
                    public Object[] mapRow(ResultSet rs, int rowNum) throws SQLException {
                        return new Object[] {rs.getLong(1), rs.getTimestamp(2)};
                    }
                }, Timestamp.from(now));
        long due = (Long) row[0];
        Timestamp oldest = (Timestamp) row[1];
        Map<String, Object> details = new LinkedHashMap<String, Object>();
        details.put("dueMessages", due);
        details.put("oldestDueAt", oldest == null ? null : oldest.toInstant());
        long ageSeconds = oldest == null ? 0 : Math.max(0, Duration.between(oldest.toInstant(), now).getSeconds());
        details.put("oldestDueAgeSeconds", ageSeconds);
        details.put("maxAgeSeconds", maxAge.getSeconds());
        List<Problem> problems = new ArrayList<Problem>();
        if (oldest != null && ageSeconds > maxAge.getSeconds()) {
            problems.add(new Problem(PROBLEM, due + " messages are due and not sent; the oldest has waited "
                    + ageSeconds / 60 + " minutes (limit " + maxAge.toMinutes() + ")",
                    oldest.toInstant().plus(maxAge)));
        }
        String summary = due == 0 ? "nothing due" : due + " due, oldest waiting " + ageSeconds / 60 + " min";
        return CheckResult.of(name(), summary, details, problems);
    }
}
