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

import javax.mail.MessagingException;
import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import io.github.cartrecovery.delivery.SmtpMailer;
import io.github.cartrecovery.personaldata.PersonalDataMask;

/**
 * Health entry {@code mailServer}, judged by what real sends of the EMAIL channel met (CR_MESSAGE_EVENT): a SENT
 * is the server taking a message; a RETRY_SCHEDULED (4xx, unreachable, TLS refused) or UNCONFIRMED (no answer) is
 * the server failing. Refusals of one recipient (5xx, FAILED) say nothing about the server and are left out.
 * The server is failing since the first such failure after the last SENT; DOWN once that is
 * {@code cartrecovery.health.mail.failing-minutes} ago. With {@code cartrecovery.health.mail.connect-check=true}
 * each evaluation also connects (and logs in) to the server and hangs up; DOWN when that fails. Off by default:
 * the outcomes of real sends say more, and a store with several nodes would connect from each.
 */
public class MailServerCheck implements HealthCheck {

    static final String PROBLEM = "mail-server";
    private static final String EMAIL = "EMAIL";
    private static final int LATEST = 5;

    private static final String LAST_SENT = "SELECT MAX(e.OCCURRED_AT) FROM CR_MESSAGE_EVENT e"
            + " JOIN CR_PLANNED_MESSAGE p ON p.ID = e.PLANNED_MESSAGE_ID"
            + " WHERE e.EVENT_TYPE = 'SENT' AND e.OCCURRED_AT >= ? AND p.CHANNEL = ?";
    private static final String FAILURES_SINCE = "SELECT COUNT(*), MIN(e.OCCURRED_AT) FROM CR_MESSAGE_EVENT e"
            + " JOIN CR_PLANNED_MESSAGE p ON p.ID = e.PLANNED_MESSAGE_ID"
            + " WHERE e.EVENT_TYPE IN ('RETRY_SCHEDULED', 'UNCONFIRMED') AND e.OCCURRED_AT > ? AND p.CHANNEL = ?";
    private static final String LATEST_OUTCOMES = "SELECT e.EVENT_TYPE, e.OCCURRED_AT, e.DETAIL FROM CR_MESSAGE_EVENT e"
            + " JOIN CR_PLANNED_MESSAGE p ON p.ID = e.PLANNED_MESSAGE_ID"
            + " WHERE e.EVENT_TYPE IN ('SENT', 'RETRY_SCHEDULED', 'UNCONFIRMED') AND e.OCCURRED_AT >= ? AND p.CHANNEL = ?"
            + " ORDER BY e.OCCURRED_AT DESC, e.ID DESC";

    private final JdbcTemplate jdbc;
    private final SmtpMailer mailer;
    private final Duration failingFor;
    private final Duration window;
    private final boolean connectCheck;
    private volatile Instant connectFailingSince;

    /**
     * @param failingMinutes {@code cartrecovery.health.mail.failing-minutes}
     * @param windowHours {@code cartrecovery.health.mail.window-hours}: how far back sends are read
     * @param connectCheck {@code cartrecovery.health.mail.connect-check}
     */
    public MailServerCheck(DataSource dataSource, SmtpMailer mailer, int failingMinutes, int windowHours, boolean connectCheck) {
        if (failingMinutes < 0 || windowHours < 1) {
            throw new IllegalArgumentException("cartrecovery.health.mail.failing-minutes must be at least 0 and "
                    + "cartrecovery.health.mail.window-hours at least 1 (were " + failingMinutes + ", " + windowHours + ")");
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.mailer = mailer;
        this.failingFor = Duration.ofMinutes(failingMinutes);
        this.window = Duration.ofHours(windowHours);
        this.connectCheck = connectCheck;
    }

    @Override
    public String name() {
        return "mailServer";
    }

    @Override
    public CheckResult check(Instant now) {
        Timestamp windowStart = Timestamp.from(now.minus(window));
        Timestamp lastSent = jdbc.queryForObject(LAST_SENT, Timestamp.class, windowStart, EMAIL);
        Object[] failures = jdbc.queryForObject(FAILURES_SINCE, new RowMapper<Object[]>() {
            @Override
            public Object[] mapRow(ResultSet rs, int rowNum) throws SQLException {
                return new Object[] {rs.getLong(1), rs.getTimestamp(2)};
            }
        }, lastSent == null ? windowStart : lastSent, EMAIL);
        long failuresSinceSent = (Long) failures[0];
        Instant failingSince = failures[1] == null ? null : ((Timestamp) failures[1]).toInstant();

        Map<String, Object> details = new LinkedHashMap<String, Object>();
        details.put("lastSentAt", lastSent == null ? null : lastSent.toInstant());
        details.put("failuresSinceLastSent", failuresSinceSent);
        details.put("failingSince", failingSince);
        details.put("failingMinutesLimit", failingFor.toMinutes());
        details.put("latestOutcomes", latestOutcomes(windowStart));
        List<Problem> problems = new ArrayList<Problem>();
        String summary;
        if (failingSince == null) {
            summary = lastSent == null ? "no email sent in the last " + window.toHours() + " hours" : "accepting messages";
        } else {
            long minutes = Duration.between(failingSince, now).toMinutes();
            summary = "failing for " + minutes + " min (" + failuresSinceSent + " sends not accepted since the last one that was)";
            if (!failingSince.plus(failingFor).isAfter(now)) {
                problems.add(new Problem(PROBLEM, "the mail server has not accepted a message for " + minutes + " minutes ("
                        + failuresSinceSent + " attempts failed since " + (lastSent == null ? "the window began" : "the last one it took") + ")",
                        failingSince));
            }
        }
        if (connectCheck) {
            String refused = connect();
            details.put("connectCheck", refused == null ? "connected" : refused);
            if (refused == null) {
                connectFailingSince = null;
            } else {
                if (connectFailingSince == null) {
                    connectFailingSince = now;
                }
                problems.add(new Problem(PROBLEM, "cannot connect to the mail server: " + refused, connectFailingSince));
                summary = "cannot connect: " + refused;
            }
        }
        return CheckResult.of(name(), summary, details, problems);
    }

    private List<Map<String, Object>> latestOutcomes(Timestamp windowStart) {
        JdbcTemplate limited = new JdbcTemplate(jdbc.getDataSource());
        limited.setMaxRows(LATEST);
        return limited.query(LATEST_OUTCOMES, new RowMapper<Map<String, Object>>() {
            @Override
            public Map<String, Object> mapRow(ResultSet rs, int rowNum) throws SQLException {
                Map<String, Object> outcome = new LinkedHashMap<String, Object>();
                outcome.put("event", rs.getString(1));
                outcome.put("at", rs.getTimestamp(2).toInstant());
                String detail = rs.getString(3);
                outcome.put("detail", detail == null ? null : PersonalDataMask.text(detail));
                return outcome;
            }
        }, windowStart, EMAIL);
    }

    /** Null when the server took a connection (and the login), else why not. */
    private String connect() {
        try {
            mailer.open().close();
            return null;
        } catch (MessagingException | RuntimeException e) {
            return PersonalDataMask.text(String.valueOf(e.getMessage()));
        }
    }
}
