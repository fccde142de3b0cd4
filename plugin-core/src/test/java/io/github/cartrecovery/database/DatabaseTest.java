package io.github.cartrecovery.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    @ParameterizedTest(name = "{0} {1} -> {4}")
    @CsvSource({
            "HSQL Database Engine, 2.7.4,                     2,  7,  HSQLDB,     false, false",
            "PostgreSQL,           16.4,                      16, 4,  POSTGRESQL, true,  false",
            "PostgreSQL,           9.6.24,                    9,  6,  POSTGRESQL, true,  false",
            "MariaDB,              10.11.6-MariaDB-0+deb12u1, 10, 11, MARIADB,    true,  true",
            "MariaDB,              10.6.0-MariaDB,            10, 6,  MARIADB,    true,  true",
            "MariaDB,              10.5.23-MariaDB,           10, 5,  MARIADB,    false, true",
            "MariaDB,              11.4.2-MariaDB,            11, 4,  MARIADB,    true,  true",
            "MySQL,                10.6.12-MariaDB,           10, 6,  MARIADB,    true,  true",
            "MySQL,                5.5.5-10.4.32-MariaDB,     5,  5,  MARIADB,    false, true",
            "MySQL,                8.0.36,                    8,  0,  MYSQL,      true,  true",
            "MySQL,                5.7.44,                    5,  7,  MYSQL,      false, true",
            "Apache Derby,         10.16.1.1,                 10, 16, OTHER,      false, false",
    })
    void tellsTheDatabasesApart(String product, String version, int major, int minor, Database.Kind kind,
                                boolean skipsLockedRows, boolean mariaDbOrMySql) {
        Database database = Database.of(product, version, major, minor);

        assertThat(database.kind()).isEqualTo(kind);
        assertThat(database.skipsLockedRows()).as("skips locked rows").isEqualTo(skipsLockedRows);
        assertThat(database.isMariaDbOrMySql()).as("MariaDB or MySQL").isEqualTo(mariaDbOrMySql);
    }

    @Test
    void readsTheDriversMetadata() throws SQLException {
        DatabaseMetaData metaData = mock(DatabaseMetaData.class);
        when(metaData.getDatabaseProductName()).thenReturn("PostgreSQL");
        when(metaData.getDatabaseProductVersion()).thenReturn("16.4");
        when(metaData.getDatabaseMajorVersion()).thenReturn(16);
        when(metaData.getDatabaseMinorVersion()).thenReturn(4);

        assertThat(Database.of(metaData).kind()).isEqualTo(Database.Kind.POSTGRESQL);
    }
}
