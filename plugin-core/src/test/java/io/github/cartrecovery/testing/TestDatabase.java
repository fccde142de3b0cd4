package io.github.cartrecovery.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A database of its own for one test JVM (or one test): created on open, dropped on close. Which kind is
 * chosen by the system property {@code cartrecovery.test.db} (hsqldb, postgresql, mariadb), set by the
 * Maven profiles {@code db-postgresql} and {@code db-mariadb}. An unreachable server is an error,
 * never a skip.
 */
public final class TestDatabase implements AutoCloseable {

    public enum Kind {
        HSQLDB("org.hibernate.dialect.HSQLDialect"),
        POSTGRESQL("org.hibernate.dialect.PostgreSQL82Dialect"),
        MARIADB("org.hibernate.dialect.MySQL5InnoDBDialect");

        public final String hibernateDialect;

        Kind(String hibernateDialect) {
            this.hibernateDialect = hibernateDialect;
        }

        public static Kind selected() {
            String name = System.getProperty("cartrecovery.test.db", "hsqldb").trim().toUpperCase(Locale.ROOT);
            try {
                return valueOf(name.isEmpty() ? "HSQLDB" : name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cartrecovery.test.db must be hsqldb, postgresql or mariadb, not '"
                        + System.getProperty("cartrecovery.test.db") + "'");
            }
        }
    }

    private final Kind kind;
    private final String server;
    private final String name;
    private final String url;
    private final String user;
    private final String password;
    private final HikariDataSource dataSource;

    private TestDatabase(Kind kind, String server, String name, String url, String user, String password) {
        this.kind = kind;
        this.server = server;
        this.name = name;
        this.url = url;
        this.user = user;
        this.password = password;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(10);
        config.setPoolName("cartrecovery-test-" + name);
        this.dataSource = new HikariDataSource(config);
    }

    /** Creates a fresh, empty database of the selected kind. */
    public static TestDatabase create(String purpose) {
        return create(Kind.selected(), purpose);
    }

    public static TestDatabase create(Kind kind, String purpose) {
        String name = ("crtest_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        switch (kind) {
            case HSQLDB:
                return new TestDatabase(kind, null, name, "jdbc:hsqldb:mem:" + name, "sa", "");
            case POSTGRESQL:
                return createOnPostgreSql(setting("postgresql.url"), setting("postgresql.user"), setting("postgresql.password"),
                        purpose);
            case MARIADB: {
                String server = setting("mariadb.url");
                execute(server, setting("mariadb.user"), setting("mariadb.password"),
                        "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
                // nullDatabaseMeansCurrent: metadata lookups (Hibernate's hbm2ddl) stay in this database even
                // when other test databases on the server hold tables of the same names
                return new TestDatabase(kind, server, name, server + name + "?nullDatabaseMeansCurrent=true",
                        setting("mariadb.user"), setting("mariadb.password"));
            }
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /**
     * Creates a fresh database on the PostgreSQL server at {@code server} (a URL ending in "/", e.g. a cluster a test
     * started itself); closing it drops it there.
     */
    public static TestDatabase createOnPostgreSql(String server, String user, String password, String purpose) {
        String name = ("crtest_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        execute(server + "postgres", user, password, "CREATE DATABASE " + name);
        return new TestDatabase(Kind.POSTGRESQL, server, name, server + name, user, password);
    }

    public Kind kind() { return kind; }
    public String name() { return name; }
    public String url() { return url; }
    public String user() { return user; }
    public String password() { return password; }
    public DataSource dataSource() { return dataSource; }

    @Override
    public void close() {
        dataSource.close();
        switch (kind) {
            case HSQLDB:
                execute(url, user, password, "SHUTDOWN");
                break;
            case POSTGRESQL:
                execute(server + "postgres", user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                break;
            case MARIADB:
                execute(server, user, password, "DROP DATABASE IF EXISTS " + name);
                break;
            default:
                break;
        }
    }

    private static String setting(String key) {
        String defaults;
        switch (key) {
            case "postgresql.url": defaults = "jdbc:postgresql://127.0.0.1:5432/"; break;
            case "postgresql.user": defaults = "postgres"; break;
            case "mariadb.url": defaults = "jdbc:mariadb://127.0.0.1:3306/"; break;
            case "mariadb.user": defaults = "root"; break;
            default: defaults = "";
        }
        return System.getProperty("cartrecovery.test." + key, defaults);
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test database server at " + url + " refused '" + sql + "': " + e.getMessage()
                    + " (is it running? see docs/testing.md, 'Choosing the database')", e);
        }
    }
}
