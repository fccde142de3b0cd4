package io.github.cartrecovery.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.github.cartrecovery.testing.TestClock;

/** The replica settings (cartrecovery.reporting.replica.*) as a store writes them. */
class ReportingDatabaseFactoryTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    private DataSource primary;
    private ReportingDatabaseFactory factory;

    @BeforeEach
    void primary() {
        primary = new DriverManagerDataSource("jdbc:hsqldb:mem:factory_primary_" + UUID.randomUUID(), "sa", "");
        new JdbcTemplate(primary).execute("CREATE TABLE CR_SETTING (NAME VARCHAR(64) PRIMARY KEY, VALUE VARCHAR(255), UPDATED_AT TIMESTAMP)");
    }

    @AfterEach
    void close() {
        if (factory != null) {
            factory.destroy();
        }
        new JdbcTemplate(primary).execute("SHUTDOWN");
    }

    @Test
    void noUrlAndNoBeanMeansNoReplica() {
        ReportingDatabase database = factory("", "", 300, 60).getObject();

        assertThat(database.source()).isSameAs(ReadSource.primaryOnly());
    }

    @Test
    void aReplicaNamedTwiceIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> factory("jdbc:postgresql://replica/store", "myReplica", 300, 60).getObject())
                .hasMessageContaining("cartrecovery.reporting.replica.url").hasMessageContaining("cartrecovery.reporting.replica.datasource-bean");
    }

    @Test
    void aMaximumLagNoLongerThanTheRollupIntervalIsRefused() {
        assertThatThrownBy(() -> factory("jdbc:postgresql://replica/store", "", 60, 60).getObject())
                .hasMessageContaining("cartrecovery.reporting.replica.max-lag-seconds (60) must be longer than"
                        + " cartrecovery.reports.rollup-interval-seconds (60)");
    }

    @Test
    void aStoreCanNameItsOwnDataSourceBean() {
        DataSource own = new DriverManagerDataSource("jdbc:hsqldb:mem:factory_replica_" + UUID.randomUUID(), "sa", "");
        JdbcTemplate replica = new JdbcTemplate(own);
        replica.execute("CREATE TABLE CR_SETTING (NAME VARCHAR(64) PRIMARY KEY, VALUE VARCHAR(255), UPDATED_AT TIMESTAMP)");
        replica.update("INSERT INTO CR_SETTING VALUES ('REPLICA_HEARTBEAT', ?, CURRENT_TIMESTAMP)", clock.instant().minusSeconds(5).toString());
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("storeReportingReplica", own);
        ReportingDatabaseFactory factory = factory("", "storeReportingReplica", 300, 60);
        factory.setBeanFactory(beans);

        ReadSource source = factory.getObject().source();

        assertThat(source.isReplica()).isTrue();
        assertThat(source.getLagSeconds()).isEqualTo(5);
        replica.execute("SHUTDOWN");
    }

    @Test
    void aDeadReplicaDoesNotStopTheStoreAndCostsAboutOneConnectTimeout() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ReportingDatabase database = factory("jdbc:postgresql://127.0.0.1:" + closedPort + "/store", "", 300, 60).getObject();

        long started = System.nanoTime();
        ReadSource source = database.source();
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(source.isFallback()).isTrue();
        assertThat(source.getReason()).startsWith("the read replica is unreachable (");
        assertThat(millis).as("one connect timeout (1000 ms), not the driver's default").isLessThan(2500);
    }

    private ReportingDatabaseFactory factory(String url, String bean, int maxLagSeconds, int rollupIntervalSeconds) {
        factory = new ReportingDatabaseFactory(primary, clock, url, "reports", "secret", bean, maxLagSeconds, 30, 1000, 2,
                rollupIntervalSeconds);
        return factory;
    }
}
