package io.github.cartrecovery.database;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

/**
 * Which database the plugin's tables live on, read from the JDBC metadata: the one place that tells HSQLDB,
 * PostgreSQL, MariaDB and MySQL apart. Everything that writes SQL differently per database (claims, Quartz's
 * delegate, case-insensitive lookups) asks here. Immutable.
 */
public final class Database {

    /** The databases the plugin is tested on, and everything else. */
    public enum Kind { HSQLDB, POSTGRESQL, MARIADB, MYSQL, OTHER }

    private final Kind kind;
    private final int majorVersion;
    private final int minorVersion;

    Database(Kind kind, int majorVersion, int minorVersion) {
        this.kind = kind;
        this.majorVersion = majorVersion;
        this.minorVersion = minorVersion;
    }

    /** Opens one connection of {@code dataSource} to read its metadata. */
    public static Database of(DataSource dataSource) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            return of(connection.getMetaData());
        } finally {
            connection.close();
        }
    }

    public static Database of(DatabaseMetaData metaData) throws SQLException {
        return of(metaData.getDatabaseProductName(), metaData.getDatabaseProductVersion(),
                metaData.getDatabaseMajorVersion(), metaData.getDatabaseMinorVersion());
    }

    /**
     * From the product name and version the driver reports. MariaDB's driver may call the product "MySQL" and
     * put "MariaDB" in the version ("10.11.6-MariaDB"), so both are read.
     */
    static Database of(String productName, String productVersion, int majorVersion, int minorVersion) {
        String product = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        String version = productVersion == null ? "" : productVersion.toLowerCase(Locale.ROOT);
        Kind kind;
        if (product.contains("postgres")) {
            kind = Kind.POSTGRESQL;
        } else if (product.contains("hsql")) {
            kind = Kind.HSQLDB;
        } else if (product.contains("mariadb") || version.contains("mariadb")) {
            kind = Kind.MARIADB;
        } else if (product.contains("mysql") || version.contains("mysql")) {
            kind = Kind.MYSQL;
        } else {
            kind = Kind.OTHER;
        }
        return new Database(kind, majorVersion, minorVersion);
    }

    public Kind kind() {
        return kind;
    }

    /** MariaDB or MySQL: the databases whose default collations ignore case. */
    public boolean isMariaDbOrMySql() {
        return kind == Kind.MARIADB || kind == Kind.MYSQL;
    }

    /**
     * True when {@code SELECT ... FOR UPDATE SKIP LOCKED} works, so nodes sharing work take different rows without
     * waiting for each other: PostgreSQL, MariaDB 10.6+ and MySQL 8+.
     */
    public boolean skipsLockedRows() {
        switch (kind) {
            case POSTGRESQL:
                return true;
            case MARIADB:
                return majorVersion > 10 || (majorVersion == 10 && minorVersion >= 6);
            case MYSQL:
                return majorVersion >= 8;
            default:
                return false;
        }
    }

    @Override
    public String toString() {
        return kind + " " + majorVersion + "." + minorVersion;
    }
}
