package io.github.cartrecovery.experiment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.database.Database;
import io.github.cartrecovery.experiment.bandit.ArmOutcomes;

/**
 * What a BANDIT experiment has learned, in the database: its outcome counts per segment and arm (read from
 * CR_EXPERIMENT_ASSIGNMENT and the attribution's records) and its frozen shares (CR_EXPERIMENT_FROZEN_SHARE, whose
 * owner this is, with CR_EXPERIMENT.FROZEN_AT). The counts are one grouped query per experiment, whatever the number
 * of carts: a cart is <b>decided</b> once its attribution window (from its assignment) has closed, and then a success
 * when it, or a copy its restore link made, was bought within the window with the outcome RECOVERED (credited to a
 * message); until then it is <b>pending</b>. The window's end is the one expression that differs per database.
 */
public class BanditRecords {

    private final JdbcTemplate jdbc;
    private final String outcomesQuery;

    public BanditRecords(DataSource dataSource, int attributionWindowDays) throws SQLException {
        this(dataSource, Database.of(dataSource).kind(), attributionWindowDays);
    }

    BanditRecords(DataSource dataSource, Database.Kind database, int attributionWindowDays) {
        if (attributionWindowDays < 1) {
            throw new IllegalArgumentException("cartrecovery.attribution.window-days: at least 1 (was " + attributionWindowDays + ")");
        }
        this.jdbc = new JdbcTemplate(dataSource);
        String windowEnd = ExperimentResults.windowEnd(database, attributionWindowDays);
        String recoveredInWindow = "a.OUTCOME = 'RECOVERED' AND a.PURCHASED_AT >= s.ASSIGNED_AT AND a.PURCHASED_AT <= " + windowEnd;
        this.outcomesQuery = "SELECT x.SEGMENT_KEY, x.ARM_ID, x.CLOSED, COUNT(*), SUM(x.RECOVERED) FROM ("
                + "SELECT s.SEGMENT_KEY, s.ARM_ID, CASE WHEN " + windowEnd + " <= ? THEN 1 ELSE 0 END AS CLOSED, "
                + "CASE WHEN EXISTS (SELECT 1 FROM CR_ORDER_ATTRIBUTION a WHERE a.ORDER_ID = s.ORDER_ID AND "
                + recoveredInWindow + ") OR EXISTS (SELECT 1 FROM CR_RESTORED_CART r JOIN CR_ORDER_ATTRIBUTION a "
                + "ON a.ORDER_ID = r.TARGET_ORDER_ID WHERE r.SOURCE_ORDER_ID = s.ORDER_ID AND " + recoveredInWindow
                + ") THEN 1 ELSE 0 END AS RECOVERED "
                + "FROM CR_EXPERIMENT_ASSIGNMENT s WHERE s.EXPERIMENT_ID = ? AND s.SEGMENT_KEY IS NOT NULL) x "
                + "GROUP BY x.SEGMENT_KEY, x.ARM_ID, x.CLOSED";
    }

    /** Per segment key, the outcomes per arm (arm ids as strings) at {@code now}; segments without carts are absent. */
    public Map<String, List<ArmOutcomes>> outcomes(long experimentId, Instant now) {
        final Map<String, Map<String, long[]>> counts = new LinkedHashMap<String, Map<String, long[]>>();
        jdbc.query(outcomesQuery, (ResultSet rs) -> {
            String segment = rs.getString(1);
            String arm = String.valueOf(rs.getLong(2));
            boolean closed = rs.getInt(3) == 1;
            long carts = rs.getLong(4);
            long recovered = rs.getLong(5);
            if (!counts.containsKey(segment)) {
                counts.put(segment, new LinkedHashMap<String, long[]>());
            }
            long[] c = counts.get(segment).get(arm);
            if (c == null) {
                c = new long[3]; // recovered, not recovered, pending
                counts.get(segment).put(arm, c);
            }
            if (closed) {
                c[0] += recovered;
                c[1] += carts - recovered;
            } else {
                c[2] += carts;
            }
        }, new Timestamp(now.toEpochMilli()), experimentId);
        Map<String, List<ArmOutcomes>> outcomes = new LinkedHashMap<String, List<ArmOutcomes>>();
        for (Map.Entry<String, Map<String, long[]>> segment : counts.entrySet()) {
            List<ArmOutcomes> arms = new ArrayList<ArmOutcomes>();
            for (Map.Entry<String, long[]> arm : segment.getValue().entrySet()) {
                long[] c = arm.getValue();
                arms.add(new ArmOutcomes(arm.getKey(), c[0], c[1], c[2]));
            }
            outcomes.put(segment.getKey(), arms);
        }
        return outcomes;
    }

    /** When the experiment's bandit was frozen, or null while it learns (or for an unknown experiment). */
    public Instant frozenAt(long experimentId) {
        List<Timestamp> frozen = jdbc.queryForList("SELECT FROZEN_AT FROM CR_EXPERIMENT WHERE ID = ?", Timestamp.class,
                experimentId);
        return frozen.isEmpty() || frozen.get(0) == null ? null : frozen.get(0).toInstant();
    }

    /** Per segment key, the frozen share per arm id (as strings). */
    public Map<String, Map<String, Double>> frozenShares(long experimentId) {
        final Map<String, Map<String, Double>> shares = new LinkedHashMap<String, Map<String, Double>>();
        jdbc.query("SELECT SEGMENT_KEY, ARM_ID, SHARE FROM CR_EXPERIMENT_FROZEN_SHARE WHERE EXPERIMENT_ID = ? "
                + "ORDER BY SEGMENT_KEY, ARM_ID", (ResultSet rs) -> {
                    String segment = rs.getString(1);
                    if (!shares.containsKey(segment)) {
                        shares.put(segment, new LinkedHashMap<String, Double>());
                    }
                    shares.get(segment).put(String.valueOf(rs.getLong(2)), rs.getBigDecimal(3).doubleValue());
                }, experimentId);
        return shares;
    }

    /**
     * Freezes a RUNNING, unfrozen BANDIT experiment at these shares (per segment key, per arm id); false when it is not
     * one (another node froze it first, it ended, or it is not a bandit), and then nothing is written. Call it in a
     * transaction.
     */
    public boolean freeze(long experimentId, Map<String, Map<String, Double>> shares, Instant now) {
        Timestamp at = new Timestamp(now.toEpochMilli());
        int frozen = jdbc.update("UPDATE CR_EXPERIMENT SET FROZEN_AT = ?, UPDATED_AT = ? WHERE ID = ? AND STATUS = ? "
                + "AND ALLOCATION = ? AND FROZEN_AT IS NULL", at, at, experimentId, ExperimentStatus.RUNNING.name(),
                Allocation.BANDIT.name());
        if (frozen == 0) {
            return false;
        }
        jdbc.update("DELETE FROM CR_EXPERIMENT_FROZEN_SHARE WHERE EXPERIMENT_ID = ?", experimentId);
        for (Map.Entry<String, Map<String, Double>> segment : shares.entrySet()) {
            for (Map.Entry<String, Double> arm : segment.getValue().entrySet()) {
                jdbc.update("INSERT INTO CR_EXPERIMENT_FROZEN_SHARE (EXPERIMENT_ID, SEGMENT_KEY, ARM_ID, SHARE) "
                        + "VALUES (?, ?, ?, ?)", experimentId, segment.getKey(), Long.parseLong(arm.getKey()),
                        BigDecimal.valueOf(arm.getValue()).setScale(9, RoundingMode.HALF_EVEN));
            }
        }
        return true;
    }

    /** Lets a frozen BANDIT learn again; false when it was not frozen. Call it in a transaction. */
    public boolean unfreeze(long experimentId, Instant now) {
        Timestamp at = new Timestamp(now.toEpochMilli());
        int unfrozen = jdbc.update("UPDATE CR_EXPERIMENT SET FROZEN_AT = NULL, UPDATED_AT = ? WHERE ID = ? "
                + "AND FROZEN_AT IS NOT NULL", at, experimentId);
        jdbc.update("DELETE FROM CR_EXPERIMENT_FROZEN_SHARE WHERE EXPERIMENT_ID = ?", experimentId);
        return unfrozen == 1;
    }
}
