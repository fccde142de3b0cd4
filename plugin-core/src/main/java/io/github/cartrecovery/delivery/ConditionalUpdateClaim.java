package io.github.cartrecovery.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Any database (used for HSQLDB): read candidate ids, then take each with a conditional update; a row
 * another node took first updates 0 rows and is left out. Correct everywhere, more contention than
 * SKIP LOCKED.
 */
public class ConditionalUpdateClaim extends ClaimQuery {

    static final String CANDIDATES = "SELECT ID FROM CR_PLANNED_MESSAGE WHERE STATUS = 'PLANNED' AND DUE_AT <= ? "
            + "ORDER BY DUE_AT";
    static final String TAKE = "UPDATE CR_PLANNED_MESSAGE SET STATUS = 'CLAIMED', CLAIMED_BY = ?, LEASE_UNTIL = ?, "
            + "UPDATED_AT = ? WHERE ID = ? AND STATUS = 'PLANNED'";
    /** 1 when the row is now this owner's claim with this lease. */
    static final String TAKEN = "SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE ID = ? AND STATUS = 'CLAIMED' "
            + "AND CLAIMED_BY = ? AND LEASE_UNTIL = ?";

    @Override
    public List<Long> claim(JdbcTemplate jdbc, String owner, Instant now, Instant leaseUntil, int max) {
        JdbcTemplate limited = new JdbcTemplate(jdbc.getDataSource());
        limited.setMaxRows(max);
        List<Long> candidates = limited.queryForList(CANDIDATES, Long.class, ts(now));
        List<Object[]> takes = new ArrayList<Object[]>();
        for (Long id : candidates) {
            takes.add(new Object[] {owner, ts(leaseUntil), ts(now), id});
        }
        // one conditional update per row, sent as one JDBC batch; each row's count says whether it was taken
        int[] taken = candidates.isEmpty() ? new int[0] : jdbc.batchUpdate(TAKE, takes);
        List<Long> claimed = new ArrayList<Long>();
        for (int i = 0; i < candidates.size(); i++) {
            int count = taken[i];
            if (count == java.sql.Statement.SUCCESS_NO_INFO) {
                // a driver that cannot tell per row: ask the row itself
                count = jdbc.queryForObject(TAKEN, Integer.class, candidates.get(i), owner, ts(leaseUntil));
            }
            if (count == 1) {
                claimed.add(candidates.get(i));
            }
        }
        return claimed;
    }
}
