package io.github.cartrecovery.detection;

import io.github.cartrecovery.database.Database;

/**
 * How a node claims rows so that nodes sharing work take different rows: where the {@link Database} skips locked
 * rows (PostgreSQL, MariaDB 10.6+, MySQL 8+) it locks what it selects and skips what another node holds; HSQLDB
 * and older servers select plainly and rely on the conditional update (and a retry after a deadlock).
 */
final class RowClaim {

    private final String lockSuffix;

    private RowClaim(String lockSuffix) {
        this.lockSuffix = lockSuffix;
    }

    static RowClaim of(Database database) {
        return new RowClaim(database.skipsLockedRows() ? " FOR UPDATE SKIP LOCKED" : "");
    }

    String lockSuffix() {
        return lockSuffix;
    }
}
