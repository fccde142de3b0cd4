package io.github.cartrecovery.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.github.cartrecovery.testing.TestClock;

/**
 * Which database a report read goes to. Two in-memory databases stand in for the primary and its replica; each holds
 * CR_SETTING and a marker saying which one it is, and the test sets the replica's heartbeat as replication would.
 */
class ReportingDatabaseTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");
    private static final Duration MAX_LAG = Duration.ofSeconds(300);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(30);

    private final TestClock clock = new TestClock(START);
    private DataSource primary;
    private Replica replica;
    private ReportingDatabase database;

    @BeforeEach
    void twoDatabases() {
        primary = database("primary");
        replica = new Replica(database("replica"));
        database = new ReportingDatabase(primary, replica, clock, MAX_LAG, CHECK_INTERVAL, Duration.ofSeconds(1));
    }

    @AfterEach
    void dropThem() {
        new JdbcTemplate(primary).execute("SHUTDOWN");
        new JdbcTemplate(replica.target).execute("SHUTDOWN");
    }

    @Test
    void withoutAReplicaEveryReadGoesToThePrimaryAndNothingIsSaid() {
        ReportingDatabase.Read<String> read = ReportingDatabase.primaryOnly(primary).read(WHICH);

        assertThat(read.getValue()).isEqualTo("primary");
        assertThat(read.getSource().isReplica()).isFalse();
        assertThat(read.getSource().isFallback()).isFalse();
        assertThat(read.getSource().describe()).isEqualTo("primary");
    }

    @Test
    void readsTheReplicaWhileItsHeartbeatIsWithinTheMaximumLag() {
        heartbeatOnReplica(START.minusSeconds(45));

        ReportingDatabase.Read<String> read = database.read(WHICH);

        assertThat(read.getValue()).isEqualTo("replica");
        assertThat(read.getSource().isReplica()).isTrue();
        assertThat(read.getSource().getLagSeconds()).isEqualTo(45);
        assertThat(read.getSource().describe()).isEqualTo("replica (heartbeat 45 s old)");
    }

    @Test
    void fallsBackToThePrimaryWhenTheReplicasHeartbeatIsOlderThanTheMaximumLag() {
        heartbeatOnReplica(START.minus(MAX_LAG).minusSeconds(1));

        ReportingDatabase.Read<String> read = database.read(WHICH);

        assertThat(read.getValue()).isEqualTo("primary");
        assertThat(read.getSource().isFallback()).isTrue();
        assertThat(read.getSource().getReason()).isEqualTo("the read replica is 301 s behind the primary (limit 300 s)");
    }

    @Test
    void aReplicaOfAnIdlePrimaryStaysFreshBecauseTheHeartbeatKeepsComing() {
        heartbeatOnReplica(START);
        clock.advance(Duration.ofHours(2));
        // nothing but the rollup job's heartbeat was written for two hours; it replicated
        heartbeatOnReplica(clock.instant().minusSeconds(20));
        clock.advance(CHECK_INTERVAL);

        assertThat(database.read(WHICH).getValue()).isEqualTo("replica");
    }

    @Test
    void fallsBackToThePrimaryWhileTheReplicaHasNoHeartbeat() {
        ReportingDatabase.Read<String> read = database.read(WHICH);

        assertThat(read.getValue()).isEqualTo("primary");
        assertThat(read.getSource().getReason()).startsWith("the read replica has no heartbeat yet");
    }

    @Test
    void fallsBackToThePrimaryWhenTheReplicaIsUnreachableAndTriesItOncePerCheckInterval() {
        heartbeatOnReplica(START);
        replica.down = true;

        ReportingDatabase.Read<String> first = database.read(WHICH);
        clock.advance(CHECK_INTERVAL.minusSeconds(1));
        ReportingDatabase.Read<String> second = database.read(WHICH);

        assertThat(first.getValue()).isEqualTo("primary");
        assertThat(first.getSource().getReason()).startsWith("the read replica is unreachable (").contains("connection refused");
        assertThat(second.getValue()).isEqualTo("primary");
        assertThat(replica.connections.get()).as("the dead replica was asked once in the interval").isEqualTo(1);
    }

    @Test
    void goesBackToTheReplicaAtTheFirstCheckAfterItRecovers() {
        heartbeatOnReplica(START);
        replica.down = true;
        assertThat(database.read(WHICH).getValue()).isEqualTo("primary");

        replica.down = false;
        heartbeatOnReplica(clock.instant().plus(CHECK_INTERVAL).minusSeconds(10));
        clock.advance(CHECK_INTERVAL);

        ReportingDatabase.Read<String> read = database.read(WHICH);
        assertThat(read.getValue()).isEqualTo("replica");
        assertThat(read.getSource().getLagSeconds()).isEqualTo(10);
    }

    @Test
    void aReadTheReplicaFailsBetweenTwoChecksIsAnsweredByThePrimaryAndTheReplicaIsLeftAlone() {
        heartbeatOnReplica(START);
        assertThat(database.read(WHICH).getValue()).isEqualTo("replica");
        int asked = replica.connections.get();

        replica.down = true;
        ReportingDatabase.Read<String> failed = database.read(WHICH);
        ReportingDatabase.Read<String> next = database.read(WHICH);

        assertThat(failed.getValue()).isEqualTo("primary");
        assertThat(failed.getSource().getReason()).startsWith("the read replica became unreachable (");
        assertThat(next.getValue()).isEqualTo("primary");
        assertThat(replica.connections.get() - asked).as("only the failed read went to the replica").isEqualTo(1);
    }

    @Test
    void aQueryTheReplicaRefusesIsRunOnThePrimary() {
        heartbeatOnReplica(START);
        new JdbcTemplate(primary).execute("CREATE TABLE ONLY_ON_PRIMARY (X INT)");

        ReportingDatabase.Read<Integer> read = database.read(jdbc -> jdbc.queryForObject("SELECT COUNT(*) FROM ONLY_ON_PRIMARY", Integer.class));

        assertThat(read.getValue()).isZero();
        assertThat(read.getSource().getReason()).startsWith("the read replica refused the read (");
    }

    private static final ReportingDatabase.Query<String> WHICH =
            jdbc -> jdbc.queryForObject("SELECT WHICH FROM MARKER", String.class);

    private void heartbeatOnReplica(Instant at) {
        JdbcTemplate jdbc = new JdbcTemplate(replica.target);
        jdbc.update("DELETE FROM CR_SETTING WHERE NAME = ?", ReplicaHeartbeat.SETTING);
        jdbc.update("INSERT INTO CR_SETTING (NAME, VALUE, UPDATED_AT) VALUES (?, ?, ?)", ReplicaHeartbeat.SETTING,
                at.toString(), java.sql.Timestamp.from(at));
    }

    private static DataSource database(String which) {
        DataSource dataSource = new DriverManagerDataSource("jdbc:hsqldb:mem:reporting_" + which + "_" + UUID.randomUUID(), "sa", "");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE CR_SETTING (NAME VARCHAR(64) PRIMARY KEY, VALUE VARCHAR(255), UPDATED_AT TIMESTAMP NOT NULL)");
        jdbc.execute("CREATE TABLE MARKER (WHICH VARCHAR(16))");
        jdbc.update("INSERT INTO MARKER VALUES (?)", which);
        return dataSource;
    }

    /** The replica's datasource: counts the connections asked for, and refuses them while "down". */
    private static final class Replica implements DataSource {
        final DataSource target;
        final AtomicInteger connections = new AtomicInteger();
        volatile boolean down;

        Replica(DataSource target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws SQLException {
            connections.incrementAndGet();
            if (down) {
                throw new SQLNonTransientConnectionException("connection refused", "08001");
            }
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override public PrintWriter getLogWriter() { return null; }
        @Override public void setLogWriter(PrintWriter out) { }
        @Override public void setLoginTimeout(int seconds) { }
        @Override public int getLoginTimeout() { return 0; }
        @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException { throw new SQLFeatureNotSupportedException(); }
        @Override public <T> T unwrap(Class<T> type) throws SQLException { throw new SQLException("not a wrapper"); }
        @Override public boolean isWrapperFor(Class<?> type) { return false; }
    }
}
