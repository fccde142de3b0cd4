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

    @Override
    public List<Long> claim(JdbcTemplate jdbc, String owner, Instant now, Instant leaseUntil, int max) {
        JdbcTemplate limited = new JdbcTemplate(jdbc.getDataSource());
        limited.setMaxRows(max);
        List<Long> claimed = new ArrayList<Long>();
        for (Long id : limited.queryForList(CANDIDATES, Long.class, ts(now))) {
            if (jdbc.update(TAKE, owner, ts(leaseUntil), ts(now), id) == 1) {
                claimed.add(id);
            }
        }
        return claimed;
    }
}
