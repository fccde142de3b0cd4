package io.github.cartrecovery.delivery;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * MariaDB 10.6+ (and MySQL 8+): lock due rows with SKIP LOCKED, then mark them (MariaDB has no
 * UPDATE ... RETURNING). Both statements run in the caller's transaction, so the locks hold in between.
 */
public class MariaDbClaim extends ClaimQuery {

    static final String SELECT = "SELECT ID FROM CR_PLANNED_MESSAGE WHERE STATUS = 'PLANNED' AND CHANNEL = ? AND DUE_AT <= ? "
            + "ORDER BY DUE_AT LIMIT ? FOR UPDATE SKIP LOCKED";
    static final String MARK = "UPDATE CR_PLANNED_MESSAGE SET STATUS = 'CLAIMED', CLAIMED_BY = ?, LEASE_UNTIL = ?, "
            + "UPDATED_AT = ? WHERE ID = ? AND STATUS = 'PLANNED'";

    @Override
    public List<Long> claim(JdbcTemplate jdbc, String channel, String owner, Instant now, Instant leaseUntil, int max) {
        List<Long> ids = jdbc.queryForList(SELECT, Long.class, channel, ts(now), max);
        for (Long id : ids) {
            jdbc.update(MARK, owner, ts(leaseUntil), ts(now), id);
        }
        return ids;
    }
}
