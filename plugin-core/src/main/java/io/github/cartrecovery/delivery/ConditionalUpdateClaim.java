package io.github.cartrecovery.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Any database (used for HSQLDB): read candidate ids, then take each with a conditional update; a row
 * another node took first updates 0 rows and is left out. Correct everywhere, more contention than
 * SKIP LOCKED. Rows lost to another node are made up for by reading candidates again (a few rounds at most), so a
 * node that reads the same candidates as a busier one a moment later still claims its share rather than coming
 * back empty and waiting for its next run.
 */
public class ConditionalUpdateClaim extends ClaimQuery {

    /**
     * Ordered like the (STATUS, CHANNEL, DUE_AT) index, so HSQLDB reads the first due rows off the index and stops at the
     * statement's max rows; ordered by DUE_AT alone, it sorted every due row on every claim.
     */
    static final String CANDIDATES = "SELECT ID FROM CR_PLANNED_MESSAGE WHERE STATUS = 'PLANNED' AND CHANNEL = ? "
            + "AND DUE_AT <= ? ORDER BY STATUS, CHANNEL, DUE_AT";
    static final String TAKE = "UPDATE CR_PLANNED_MESSAGE SET STATUS = 'CLAIMED', CLAIMED_BY = ?, LEASE_UNTIL = ?, "
            + "UPDATED_AT = ? WHERE ID = ? AND STATUS = 'PLANNED'";
    /** 1 when the row is now this owner's claim with this lease. */
    static final String TAKEN = "SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE ID = ? AND STATUS = 'CLAIMED' "
            + "AND CLAIMED_BY = ? AND LEASE_UNTIL = ?";

    /** Rounds of reading candidates when rows were lost to other nodes (each round loses only to a faster node). */
    static final int ROUNDS = 4;

    @Override
    public List<Long> claim(JdbcTemplate jdbc, String channel, String owner, Instant now, Instant leaseUntil, int max) {
        List<Long> claimed = new ArrayList<Long>();
        for (int round = 0; round < ROUNDS && claimed.size() < max; round++) {
            int lost = takeRound(jdbc, channel, owner, now, leaseUntil, max - claimed.size(), claimed);
            if (lost == 0) {
                break; // every candidate read was taken, or there were fewer than wanted: nothing more is due
            }
        }
        return claimed;
    }

    /** Reads up to {@code max} candidates and takes them into {@code claimed}; returns how many were lost. */
    private static int takeRound(JdbcTemplate jdbc, String channel, String owner, Instant now, Instant leaseUntil, int max,
                                 List<Long> claimed) {
        JdbcTemplate limited = new JdbcTemplate(jdbc.getDataSource());
        limited.setMaxRows(max);
        List<Long> candidates = limited.queryForList(CANDIDATES, Long.class, channel, ts(now));
        if (candidates.isEmpty()) {
            return 0;
        }
        List<Object[]> takes = new ArrayList<Object[]>();
        for (Long id : candidates) {
            takes.add(new Object[] {owner, ts(leaseUntil), ts(now), id});
        }
        // one conditional update per row, sent as one JDBC batch; each row's count says whether it was taken
        int[] taken = jdbc.batchUpdate(TAKE, takes);
        int lost = 0;
        for (int i = 0; i < candidates.size(); i++) {
            int count = taken[i];
            if (count == java.sql.Statement.SUCCESS_NO_INFO) {
                // a driver that cannot tell per row: ask the row itself
                count = jdbc.queryForObject(TAKEN, Integer.class, candidates.get(i), owner, ts(leaseUntil));
            }
            if (count == 1) {
                claimed.add(candidates.get(i));
            } else {
                lost++;
            }
        }
        return lost;
    }
}
