package io.github.cartrecovery.admin.web;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import io.github.cartrecovery.personaldata.PersonalData;
import io.github.cartrecovery.personaldata.PersonalDataMask;

/**
 * What the preview page offers instead of typed ids: every campaign step ("Default recovery, step 2: EMAIL
 * value-reminder") and the most recent captured carts with items, their addresses masked ("#1042, j***@example.com,
 * 3 items, 45.00 USD"). Read-only; read on every page.
 */
public class PreviewChoices {

    static final int RECENT_CARTS = 25;

    private final JdbcTemplate jdbc;

    public PreviewChoices(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public List<Choice> steps() {
        return jdbc.query("SELECT s.ID, c.NAME, s.STEP_NO, s.CHANNEL, s.TEMPLATE FROM CR_CAMPAIGN_STEP s "
                + "JOIN CR_CAMPAIGN c ON c.ID = s.CAMPAIGN_ID ORDER BY c.NAME, s.STEP_NO", new RowMapper<Choice>() {
                    @Override
                    public Choice mapRow(ResultSet rs, int row) throws SQLException {
                        return new Choice(rs.getLong("ID"), rs.getString("NAME") + ", step " + rs.getInt("STEP_NO") + ": "
                                + rs.getString("CHANNEL") + " " + rs.getString("TEMPLATE"));
                    }
                });
    }

    /** The newest carts with items (by last activity), at most {@link #RECENT_CARTS}. */
    public List<Choice> recentCarts() {
        JdbcTemplate limited = new JdbcTemplate(jdbc.getDataSource());
        limited.setMaxRows(RECENT_CARTS);
        return limited.query("SELECT ORDER_ID, EMAIL, ITEM_COUNT, TOTAL, CURRENCY_CODE FROM CR_CAPTURED_CART "
                + "WHERE ITEM_COUNT > 0 ORDER BY LAST_ACTIVITY DESC", new RowMapper<Choice>() {
                    @Override
                    public Choice mapRow(ResultSet rs, int row) throws SQLException {
                        String email = rs.getString("EMAIL");
                        BigDecimal total = rs.getBigDecimal("TOTAL");
                        return new Choice(rs.getLong("ORDER_ID"), "#" + rs.getLong("ORDER_ID") + ", "
                                + (email == null ? "no address" : PersonalDataMask.mask(PersonalData.Kind.EMAIL, email)) + ", "
                                + rs.getInt("ITEM_COUNT") + " items"
                                + (total == null ? "" : ", " + total.stripTrailingZeros().toPlainString() + " "
                                + (rs.getString("CURRENCY_CODE") == null ? "" : rs.getString("CURRENCY_CODE"))));
                    }
                });
    }

    /** An id and what the picker shows for it. Immutable. */
    public static final class Choice {
        private final long id;
        private final String label;

        Choice(long id, String label) {
            this.id = id;
            this.label = label;
        }

        public long getId() { return id; }
        public String getLabel() { return label; }
    }
}
