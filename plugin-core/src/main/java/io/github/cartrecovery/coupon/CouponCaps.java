package io.github.cartrecovery.coupon;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * The most each recovery code may take off a cart: the maximum discount of the step whose message carried it in the
 * cart's currency (CR_CAMPAIGN_STEP.COUPON_MAX_DISCOUNTS, else COUPON_VALUE), read now (an edited step's new maximum holds from the next pricing), looked up
 * by code (UQ_CR_COUPON_CODE) in the caller's transaction. A code whose message or step is gone is left out:
 * only the check at issue (CouponRules) limited it. Storing the maximum on CR_COUPON at issue would close that.
 */
public class CouponCaps {

    /** Marks a recovery code whose step sets no maximum (COUPON_VALUE empty). */
    public static final BigDecimal NO_MAXIMUM = new BigDecimal(-1);

    private final JdbcTemplate jdbc;

    public CouponCaps(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /**
     * For each of these codes that the plugin issued and whose step still exists: its maximum discount on a cart in
     * this currency, or {@link #NO_MAXIMUM}. Other codes are left out.
     */
    public Map<String, BigDecimal> forCodes(Collection<String> codes, final String currencyCode) {
        final Map<String, BigDecimal> caps = new HashMap<String, BigDecimal>();
        if (codes.isEmpty()) {
            return caps;
        }
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < codes.size(); i++) {
            marks.append(i == 0 ? "?" : ", ?");
        }
        jdbc.query("SELECT c.CODE, s.COUPON_VALUE, s.COUPON_MAX_DISCOUNTS FROM CR_COUPON c "
                + "JOIN CR_PLANNED_MESSAGE m ON m.ID = c.PLANNED_MESSAGE_ID "
                + "JOIN CR_CAMPAIGN_STEP s ON s.ID = m.STEP_ID WHERE c.CODE IN (" + marks + ")",
                new RowCallbackHandler() {
                    @Override
                    public void processRow(ResultSet rs) throws SQLException {
                        BigDecimal value = CouponStep.maxDiscount(rs.getString("COUPON_MAX_DISCOUNTS"),
                                rs.getBigDecimal("COUPON_VALUE"), currencyCode);
                        caps.put(rs.getString("CODE"), value == null ? NO_MAXIMUM : value);
                    }
                }, codes.toArray());
        return caps;
    }
}
