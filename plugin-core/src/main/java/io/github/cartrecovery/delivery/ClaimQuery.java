package io.github.cartrecovery.delivery;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Claims due planned messages for one node: moves up to {@code max} rows with STATUS 'PLANNED' and
 * DUE_AT <= now of one channel to 'CLAIMED', owned by {@code owner} until {@code leaseUntil}, and returns their ids.
 * Runs inside the caller's transaction; two nodes never get the same row. Uses index
 * IX_CR_PLANNED_CHANNEL_DUE (STATUS, CHANNEL, DUE_AT). One small subclass per database, chosen by {@link #detect(DataSource)}.
 */
public abstract class ClaimQuery {

    public abstract List<Long> claim(JdbcTemplate jdbc, String channel, String owner, Instant now, Instant leaseUntil,
                                     int max);

    /** PostgreSQL for PostgreSQL, MariaDB 10.6+ / MySQL 8+ with SKIP LOCKED, else a portable conditional update. */
    public static ClaimQuery detect(DataSource dataSource) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            DatabaseMetaData meta = connection.getMetaData();
            String product = meta.getDatabaseProductName().toLowerCase(Locale.ROOT);
            String version = meta.getDatabaseProductVersion().toLowerCase(Locale.ROOT);
            int major = meta.getDatabaseMajorVersion();
            int minor = meta.getDatabaseMinorVersion();
            if (product.contains("postgres")) {
                return new PostgreSqlClaim();
            }
            boolean mariaDb = product.contains("mariadb") || version.contains("mariadb");
            if (mariaDb && (major > 10 || (major == 10 && minor >= 6))) {
                return new MariaDbClaim();
            }
            if (!mariaDb && product.contains("mysql") && major >= 8) {
                return new MariaDbClaim();
            }
            return new ConditionalUpdateClaim();
        } finally {
            connection.close();
        }
    }

    static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }
}
