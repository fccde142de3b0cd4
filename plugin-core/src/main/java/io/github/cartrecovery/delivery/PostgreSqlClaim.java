package io.github.cartrecovery.delivery;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL: one statement; rows locked by another node are skipped, not waited for. UPDATE ... RETURNING
 * gives rows in no particular order, so the claimed ids are returned through a CTE in due order (the batch is
 * sent in that order, oldest first, like the other claims).
 */
public class PostgreSqlClaim extends ClaimQuery {

    static final String SQL = "WITH claimed AS (UPDATE CR_PLANNED_MESSAGE SET STATUS = 'CLAIMED', CLAIMED_BY = ?, "
            + "LEASE_UNTIL = ?, UPDATED_AT = ? WHERE ID IN (SELECT ID FROM CR_PLANNED_MESSAGE WHERE STATUS = 'PLANNED' "
            + "AND CHANNEL = ? AND DUE_AT <= ? ORDER BY DUE_AT LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING ID, DUE_AT) "
            + "SELECT ID FROM claimed ORDER BY DUE_AT, ID";

    /** Data-modifying CTEs: a window of one is one round trip per message. */
    @Override
    public boolean handsOverInOneStatement() {
        return true;
    }

    @Override
    public List<Long> claim(JdbcTemplate jdbc, String channel, String owner, Instant now, Instant leaseUntil, int max) {
        return jdbc.queryForList(SQL, Long.class, owner, ts(leaseUntil), ts(now), channel, ts(now), max);
    }
}
