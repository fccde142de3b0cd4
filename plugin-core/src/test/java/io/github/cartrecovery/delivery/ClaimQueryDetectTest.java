package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClaimQueryDetectTest {

    @ParameterizedTest(name = "{0} {1} -> {4}")
    @CsvSource({
            "HSQL Database Engine, 2.7.4,           2,  7,  ConditionalUpdateClaim",
            "PostgreSQL,           16.4,            16, 4,  PostgreSqlClaim",
            "MariaDB,              10.11.6-MariaDB, 10, 11, MariaDbClaim",
            "MariaDB,              10.5.23-MariaDB, 10, 5,  ConditionalUpdateClaim",
            "MySQL,                8.0.36,          8,  0,  MariaDbClaim",
            "MySQL,                5.7.44,          5,  7,  ConditionalUpdateClaim",
    })
    void choosesTheClaimOfTheDatabase(String product, String version, int major, int minor, String claim)
            throws SQLException {
        DataSource dataSource = mock(DataSource.class);
        Connection connection = mock(Connection.class);
        DatabaseMetaData metaData = mock(DatabaseMetaData.class);
        when(dataSource.getConnection()).thenReturn(connection);
        when(connection.getMetaData()).thenReturn(metaData);
        when(metaData.getDatabaseProductName()).thenReturn(product);
        when(metaData.getDatabaseProductVersion()).thenReturn(version);
        when(metaData.getDatabaseMajorVersion()).thenReturn(major);
        when(metaData.getDatabaseMinorVersion()).thenReturn(minor);

        assertThat(ClaimQuery.detect(dataSource).getClass().getSimpleName()).isEqualTo(claim);
        verify(connection).close();
    }
}
