package io.github.cartrecovery.experiment;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.database.Database;

/**
 * An experiment's raw counts per arm ({@link ArmCounts}), in four grouped queries whatever the number of carts:
 * assigned carts; messages sent, opened and clicked (distinct messages with an OPENED or CLICKED event); carts bought
 * within {@code cartrecovery.attribution.window-days} after their assignment, from the cart itself or a copy its restore
 * link made (CR_RESTORED_CART), read from the attribution's records (CR_ORDER_ATTRIBUTION: every purchased cart has one,
 * RECOVERED, INFLUENCED or NONE, with the order total and currency); and their revenue per currency, with the sum of
 * squares of each converted cart's total. Reads only; the window's end is the one date expression that differs per
 * database. The attribution job must have run for a purchase to count.
 */
public class ExperimentResults {

    private final JdbcTemplate jdbc;
    private final String windowEnd;

    public ExperimentResults(DataSource dataSource, int attributionWindowDays) throws SQLException {
        this(dataSource, Database.of(dataSource).kind(), attributionWindowDays);
    }

    ExperimentResults(DataSource dataSource, Database.Kind database, int attributionWindowDays) {
        if (attributionWindowDays < 1) {
            throw new IllegalArgumentException("cartrecovery.attribution.window-days: at least 1 (was " + attributionWindowDays + ")");
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.windowEnd = windowEnd(database, attributionWindowDays);
    }

    /** ASSIGNED_AT plus the window, in the database's own words (the days are a whole number from the settings). */
    static String windowEnd(Database.Kind database, int days) {
        switch (database) {
            case POSTGRESQL:
                return "s.ASSIGNED_AT + INTERVAL '" + days + " days'";
            case MARIADB:
            case MYSQL:
                return "TIMESTAMPADD(DAY, " + days + ", s.ASSIGNED_AT)";
            default:
                return "TIMESTAMPADD(SQL_TSI_DAY, " + days + ", s.ASSIGNED_AT)";
        }
    }

    /** The arm's purchases: (ARM_ID, ORDER_ID of the assigned cart, CURRENCY_CODE, AMOUNT, OUTCOME), own or a copy's. */
    private String purchases() {
        String inWindow = " AND a.PURCHASED_AT >= s.ASSIGNED_AT AND a.PURCHASED_AT <= " + windowEnd;
        return "SELECT s.ARM_ID, s.ORDER_ID, a.CURRENCY_CODE, a.AMOUNT, a.OUTCOME FROM CR_EXPERIMENT_ASSIGNMENT s "
                + "JOIN CR_ORDER_ATTRIBUTION a ON a.ORDER_ID = s.ORDER_ID WHERE s.EXPERIMENT_ID = ?" + inWindow
                + " UNION ALL "
                + "SELECT s.ARM_ID, s.ORDER_ID, a.CURRENCY_CODE, a.AMOUNT, a.OUTCOME FROM CR_EXPERIMENT_ASSIGNMENT s "
                + "JOIN (SELECT DISTINCT SOURCE_ORDER_ID, TARGET_ORDER_ID FROM CR_RESTORED_CART) r ON r.SOURCE_ORDER_ID = s.ORDER_ID "
                + "JOIN CR_ORDER_ATTRIBUTION a ON a.ORDER_ID = r.TARGET_ORDER_ID "
                + "WHERE s.EXPERIMENT_ID = ? AND r.TARGET_ORDER_ID <> s.ORDER_ID" + inWindow;
    }

    /** One entry per arm, in the arms' order; empty for an unknown experiment. */
    public List<ArmCounts> countsFor(long experimentId) {
        final Map<Long, long[]> counts = new LinkedHashMap<Long, long[]>(); // eligible, messages, opens, clicks, converted, recovered
        final Map<Long, Object[]> arms = new LinkedHashMap<Long, Object[]>();
        jdbc.query("SELECT ID, ARM_KEY, NAME, KIND FROM CR_EXPERIMENT_ARM WHERE EXPERIMENT_ID = ? ORDER BY POSITION, ID",
                (ResultSet rs) -> {
                    long id = rs.getLong("ID");
                    arms.put(id, new Object[] {rs.getString("ARM_KEY"), rs.getString("NAME"), ArmKind.valueOf(rs.getString("KIND"))});
                    counts.put(id, new long[6]);
                }, experimentId);
        jdbc.query("SELECT ARM_ID, COUNT(*) FROM CR_EXPERIMENT_ASSIGNMENT WHERE EXPERIMENT_ID = ? GROUP BY ARM_ID",
                (ResultSet rs) -> add(counts, rs.getLong(1), 0, rs.getLong(2)), experimentId);
        jdbc.query("SELECT m.ARM_ID, COUNT(DISTINCT CASE WHEN m.SENT_AT IS NOT NULL THEN m.ID END), "
                + "COUNT(DISTINCT CASE WHEN e.EVENT_TYPE = 'OPENED' THEN m.ID END), "
                + "COUNT(DISTINCT CASE WHEN e.EVENT_TYPE = 'CLICKED' THEN m.ID END) "
                + "FROM CR_EXPERIMENT_ASSIGNMENT s JOIN CR_PLANNED_MESSAGE m ON m.ORDER_ID = s.ORDER_ID AND m.ARM_ID = s.ARM_ID "
                + "LEFT JOIN CR_MESSAGE_EVENT e ON e.PLANNED_MESSAGE_ID = m.ID AND e.EVENT_TYPE IN ('OPENED', 'CLICKED') "
                + "WHERE s.EXPERIMENT_ID = ? GROUP BY m.ARM_ID", (ResultSet rs) -> {
                    long arm = rs.getLong(1);
                    add(counts, arm, 1, rs.getLong(2));
                    add(counts, arm, 2, rs.getLong(3));
                    add(counts, arm, 3, rs.getLong(4));
                }, experimentId);
        jdbc.query("SELECT p.ARM_ID, COUNT(DISTINCT p.ORDER_ID), "
                + "COUNT(DISTINCT CASE WHEN p.OUTCOME = 'RECOVERED' THEN p.ORDER_ID END) FROM (" + purchases() + ") p "
                + "GROUP BY p.ARM_ID", (ResultSet rs) -> {
                    add(counts, rs.getLong(1), 4, rs.getLong(2));
                    add(counts, rs.getLong(1), 5, rs.getLong(3));
                }, experimentId, experimentId);
        final Map<Long, Map<String, ArmCounts.Revenue>> revenue = new HashMap<Long, Map<String, ArmCounts.Revenue>>();
        // per converted cart and currency first, so a cart bought twice (itself and a copy) is one value, squared once
        jdbc.query("SELECT c.ARM_ID, c.CURRENCY_CODE, COUNT(*), SUM(c.TOTAL), SUM(c.TOTAL * c.TOTAL) FROM ("
                + "SELECT p.ARM_ID, p.ORDER_ID, p.CURRENCY_CODE, SUM(p.AMOUNT) AS TOTAL FROM (" + purchases() + ") p "
                + "WHERE p.AMOUNT IS NOT NULL GROUP BY p.ARM_ID, p.ORDER_ID, p.CURRENCY_CODE) c "
                + "GROUP BY c.ARM_ID, c.CURRENCY_CODE ORDER BY c.ARM_ID, c.CURRENCY_CODE", (ResultSet rs) -> {
                    long arm = rs.getLong(1);
                    if (!revenue.containsKey(arm)) {
                        revenue.put(arm, new LinkedHashMap<String, ArmCounts.Revenue>());
                    }
                    String currency = rs.getString(2);
                    revenue.get(arm).put(currency == null ? "" : currency, new ArmCounts.Revenue(rs.getLong(3),
                            amount(rs.getBigDecimal(4)), amount(rs.getBigDecimal(5))));
                }, experimentId, experimentId);
        List<ArmCounts> result = new ArrayList<ArmCounts>();
        for (Map.Entry<Long, Object[]> arm : arms.entrySet()) {
            long[] c = counts.get(arm.getKey());
            Map<String, ArmCounts.Revenue> money = revenue.get(arm.getKey());
            result.add(new ArmCounts(arm.getKey(), (String) arm.getValue()[0], (String) arm.getValue()[1],
                    (ArmKind) arm.getValue()[2], c[0], c[1], c[2], c[3], c[4], c[5],
                    money == null ? new LinkedHashMap<String, ArmCounts.Revenue>() : money));
        }
        return result;
    }

    private static void add(Map<Long, long[]> counts, long armId, int index, long value) {
        long[] arm = counts.get(armId);
        if (arm != null) {
            arm[index] += value;
        }
    }

    private static BigDecimal amount(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value.stripTrailingZeros();
    }
}
