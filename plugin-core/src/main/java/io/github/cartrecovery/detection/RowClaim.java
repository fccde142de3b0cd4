package io.github.cartrecovery.detection;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * How a node claims rows so that nodes sharing work take different rows: PostgreSQL and MariaDB 10.6+ /
 * MySQL 8+ lock what they select and skip what another node holds; HSQLDB and older servers select
 * plainly and rely on the conditional update (and a retry after a deadlock).
 */
final class RowClaim {

    private final String lockSuffix;

    private RowClaim(String lockSuffix) {
        this.lockSuffix = lockSuffix;
    }

    static RowClaim of(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName().toLowerCase(Locale.ROOT);
        String version = metaData.getDatabaseProductVersion().toLowerCase(Locale.ROOT);
        int major = metaData.getDatabaseMajorVersion();
        int minor = metaData.getDatabaseMinorVersion();
        if (product.contains("postgres")) {
            return new RowClaim(" FOR UPDATE SKIP LOCKED");
        }
        boolean mariaDb = product.contains("mariadb") || version.contains("mariadb");
        if (mariaDb && (major > 10 || (major == 10 && minor >= 6))) {
            return new RowClaim(" FOR UPDATE SKIP LOCKED");
        }
        if (!mariaDb && product.contains("mysql") && major >= 8) {
            return new RowClaim(" FOR UPDATE SKIP LOCKED");
        }
        return new RowClaim("");
    }

    String lockSuffix() {
        return lockSuffix;
    }

    /** Deadlocks and serialization failures: the transaction was rolled back and may simply be retried. */
    static boolean isTransient(SQLException e) {
        for (SQLException current = e; current != null; current = current.getNextException()) {
            String state = current.getSQLState();
            if ((state != null && state.startsWith("40")) || current.getErrorCode() == 1213) {
                return true;
            }
        }
        return false;
    }
}
