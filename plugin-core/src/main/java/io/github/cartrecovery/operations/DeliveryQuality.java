package io.github.cartrecovery.operations;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the alerts watch beside health: signs that messages reach shoppers badly, which say nothing about whether the
 * node works (so they never turn the health endpoint red). Thresholds ({@code cartrecovery.alerts.*}, 0 = not watched):
 * <ul>
 * <li>{@code unconfirmed-per-hour}: messages of any channel that became UNCONFIRMED in the last hour;</li>
 * <li>{@code bounce-rate-percent}: emails bounced (BOUNCED events) per email sent in the last 24 hours;</li>
 * <li>{@code complaint-rate-percent}: addresses suppressed with reason COMPLAINED (by staff or the store's feedback-loop
 *     processing; the plugin receives no complaints itself) per email sent in the last 24 hours;</li>
 * <li>{@code capture-rejections-per-hour}: capture rows rejected (CR_CAPTURE_REJECTION) in the last hour.</li>
 * </ul>
 * Rates count only once {@code rate-minimum-sent} emails were sent in the 24 hours, so three bounces of the first
 * ten messages of the day are not an incident. Event counts read IX_CR_EVENT_TYPE_OCCURRED.
 */
public class DeliveryQuality {

    static final String UNCONFIRMED = "unconfirmed-messages";
    static final String BOUNCES = "bounce-rate";
    static final String COMPLAINTS = "complaint-rate";
    static final String REJECTIONS = "capture-rejected";

    private final JdbcTemplate jdbc;
    private final int unconfirmedPerHour;
    private final double bounceRatePercent;
    private final double complaintRatePercent;
    private final int rateMinimumSent;
    private final int captureRejectionsPerHour;

    public DeliveryQuality(DataSource dataSource, int unconfirmedPerHour, double bounceRatePercent,
                           double complaintRatePercent, int rateMinimumSent, int captureRejectionsPerHour) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.unconfirmedPerHour = unconfirmedPerHour;
        this.bounceRatePercent = bounceRatePercent;
        this.complaintRatePercent = complaintRatePercent;
        this.rateMinimumSent = rateMinimumSent;
        this.captureRejectionsPerHour = captureRejectionsPerHour;
    }

    /** The figures at {@code now} (for the admin) and the thresholds they cross. */
    public Result measure(Instant now) {
        Timestamp hourAgo = Timestamp.from(now.minus(Duration.ofHours(1)));
        Timestamp dayAgo = Timestamp.from(now.minus(Duration.ofDays(1)));
        Map<String, Object> figures = new LinkedHashMap<String, Object>();
        List<Problem> problems = new ArrayList<Problem>();

        long unconfirmed = count("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE EVENT_TYPE = 'UNCONFIRMED' AND OCCURRED_AT >= ?", hourAgo);
        figures.put("unconfirmedLastHour", unconfirmed);
        if (unconfirmedPerHour > 0 && unconfirmed >= unconfirmedPerHour) {
            problems.add(new Problem(UNCONFIRMED, unconfirmed + " messages became UNCONFIRMED in the last hour (a node lost track"
                    + " of them while sending: they may or may not have arrived)", null));
        }

        long sent = count("SELECT COUNT(*) FROM CR_MESSAGE_EVENT e JOIN CR_PLANNED_MESSAGE p ON p.ID = e.PLANNED_MESSAGE_ID"
                + " WHERE e.EVENT_TYPE = 'SENT' AND e.OCCURRED_AT >= ? AND p.CHANNEL = 'EMAIL'", dayAgo);
        long bounced = count("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE EVENT_TYPE = 'BOUNCED' AND OCCURRED_AT >= ?", dayAgo);
        long complained = count("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE REASON = 'COMPLAINED' AND CREATED_AT >= ?", dayAgo);
        figures.put("emailsSentLast24Hours", sent);
        figures.put("bouncedLast24Hours", bounced);
        figures.put("complaintsLast24Hours", complained);
        boolean enough = sent > 0 && sent >= rateMinimumSent;
        double bounceRate = sent == 0 ? 0 : 100.0 * bounced / sent;
        double complaintRate = sent == 0 ? 0 : 100.0 * complained / sent;
        figures.put("bounceRatePercent", round(bounceRate));
        figures.put("complaintRatePercent", round(complaintRate));
        if (enough && bounceRatePercent > 0 && bounceRate > bounceRatePercent) {
            problems.add(new Problem(BOUNCES, "bounce rate " + round(bounceRate) + "% in the last 24 hours (" + bounced + " of "
                    + sent + " emails; limit " + bounceRatePercent + "%)", null));
        }
        if (enough && complaintRatePercent > 0 && complaintRate > complaintRatePercent) {
            problems.add(new Problem(COMPLAINTS, "complaint rate " + round(complaintRate) + "% in the last 24 hours (" + complained
                    + " of " + sent + " emails; limit " + complaintRatePercent + "%)", null));
        }

        long rejected = count("SELECT COUNT(*) FROM CR_CAPTURE_REJECTION WHERE LAST_OCCURRED_AT >= ?", hourAgo);
        figures.put("captureRejectionsLastHour", rejected);
        if (captureRejectionsPerHour > 0 && rejected >= captureRejectionsPerHour) {
            problems.add(new Problem(REJECTIONS, rejected + " capture rows were rejected in the last hour; see Cart Recovery >"
                    + " Capture Rejections", null));
        }
        return new Result(figures, problems);
    }

    private long count(String sql, Timestamp since) {
        Long count = jdbc.queryForObject(sql, Long.class, since);
        return count == null ? 0 : count;
    }

    private static String round(double percent) {
        return String.format(java.util.Locale.ROOT, "%.2f", percent);
    }

    /** Figures and crossed thresholds. */
    public static final class Result {
        private final Map<String, Object> figures;
        private final List<Problem> problems;

        Result(Map<String, Object> figures, List<Problem> problems) {
            this.figures = figures;
            this.problems = problems;
        }

        public Map<String, Object> getFigures() { return figures; }
        public List<Problem> getProblems() { return problems; }
    }
}
