package io.github.cartrecovery.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;

import javax.persistence.PersistenceException;

import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.LockAcquisitionException;
import org.hibernate.exception.LockTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DeadlockLoserDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class SqlFailuresTest {

    enum Kind { LOCK_RACE, UNAVAILABLE, STATEMENTS_OWN_FAULT }

    /** What each database (through its driver, Spring and Hibernate) throws, and what it means. */
    static Stream<Arguments> failures() {
        return Stream.of(
                // HSQLDB 2.7 (vendor codes are negative)
                row("HSQLDB serialization failure (MVCC conflict)", Kind.LOCK_RACE,
                        new SQLTransactionRollbackException("transaction rollback: serialization failure", "40001", -4861)),
                row("HSQLDB connection closed", Kind.UNAVAILABLE,
                        new SQLNonTransientConnectionException("connection exception: closed", "08003", -1303)),
                row("HSQLDB server refuses the connection", Kind.UNAVAILABLE,
                        new SQLNonTransientConnectionException("java.net.ConnectException: Connection refused", "08001", -80)),
                row("HSQLDB unique constraint", Kind.STATEMENTS_OWN_FAULT, new SQLIntegrityConstraintViolationException(
                        "integrity constraint violation: unique constraint or index violation", "23505", -104)),
                row("HSQLDB value too long", Kind.STATEMENTS_OWN_FAULT,
                        new SQLDataException("data exception: string data, right truncation", "22001", -3401)),
                // PostgreSQL (PSQLException: a plain SQLException with the SQLSTATE, vendor code 0)
                row("PostgreSQL serialization_failure", Kind.LOCK_RACE,
                        new SQLException("ERROR: could not serialize access due to concurrent update", "40001")),
                row("PostgreSQL deadlock_detected", Kind.LOCK_RACE, new SQLException("ERROR: deadlock detected", "40P01")),
                row("PostgreSQL lock_not_available (lock_timeout)", Kind.LOCK_RACE,
                        new SQLException("ERROR: canceling statement due to lock timeout", "55P03")),
                row("PostgreSQL connection_failure", Kind.UNAVAILABLE, new SQLException("An I/O error occurred", "08006")),
                row("PostgreSQL refuses the connection", Kind.UNAVAILABLE, new SQLException("Connection refused", "08001")),
                row("PostgreSQL admin_shutdown", Kind.UNAVAILABLE,
                        new SQLException("FATAL: terminating connection due to administrator command", "57P01")),
                row("PostgreSQL cannot_connect_now (starting up)", Kind.UNAVAILABLE,
                        new SQLException("FATAL: the database system is starting up", "57P03")),
                row("PostgreSQL unique_violation", Kind.STATEMENTS_OWN_FAULT,
                        new SQLException("ERROR: duplicate key value violates unique constraint", "23505")),
                row("PostgreSQL value too long", Kind.STATEMENTS_OWN_FAULT,
                        new SQLException("ERROR: value too long for type character varying(254)", "22001")),
                row("PostgreSQL syntax error", Kind.STATEMENTS_OWN_FAULT, new SQLException("ERROR: syntax error", "42601")),
                row("PostgreSQL statement_timeout (query_canceled)", Kind.STATEMENTS_OWN_FAULT,
                        new SQLException("ERROR: canceling statement due to statement timeout", "57014")),
                // MariaDB / MySQL (Connector/J: SQLSTATE class 40 -> SQLTransactionRollbackException, 08 -> connection)
                row("MariaDB deadlock (1213)", Kind.LOCK_RACE, new SQLTransactionRollbackException(
                        "Deadlock found when trying to get lock; try restarting transaction", "40001", 1213)),
                row("MariaDB deadlock (1213) without a SQLSTATE", Kind.LOCK_RACE,
                        new SQLException("Deadlock found when trying to get lock", null, 1213)),
                row("MariaDB lock wait timeout (1205, SQLSTATE HY000)", Kind.LOCK_RACE,
                        new SQLException("Lock wait timeout exceeded; try restarting transaction", "HY000", 1205)),
                row("MariaDB connection lost", Kind.UNAVAILABLE,
                        new SQLNonTransientConnectionException("(conn=12) Socket error", "08000", 0)),
                row("MySQL communication link failure", Kind.UNAVAILABLE,
                        new SQLException("Communications link failure", "08S01", 0)),
                row("MariaDB duplicate entry (1062)", Kind.STATEMENTS_OWN_FAULT,
                        new SQLIntegrityConstraintViolationException("Duplicate entry 'x' for key 'UQ'", "23000", 1062)),
                row("MariaDB data too long (1406)", Kind.STATEMENTS_OWN_FAULT,
                        new SQLDataException("Data too long for column 'EMAIL' at row 1", "22001", 1406)),
                row("MariaDB syntax error (1064)", Kind.STATEMENTS_OWN_FAULT,
                        new SQLSyntaxErrorException("You have an error in your SQL syntax", "42000", 1064)),
                // Pools, JDBC classes without a SQLSTATE, Spring and Hibernate wrappers
                row("HikariCP pool timeout", Kind.UNAVAILABLE, new SQLTransientConnectionException(
                        "HikariPool-1 - Connection is not available, request timed out after 30000ms.")),
                row("Spring: no connection from the pool", Kind.UNAVAILABLE, new CannotGetJdbcConnectionException(
                        "Could not get JDBC Connection", new SQLException("Cannot get a connection, pool error Timeout waiting for idle object"))),
                row("Spring: no transaction (database down)", Kind.UNAVAILABLE,
                        new CannotCreateTransactionException("Could not open JPA EntityManager for transaction")),
                row("Spring: rollback failed (connection broke)", Kind.UNAVAILABLE,
                        new TransactionSystemException("Could not roll back JPA transaction")),
                row("JDBC recoverable failure", Kind.UNAVAILABLE, new SQLRecoverableException("connection reset")),
                row("Hibernate connection failure", Kind.UNAVAILABLE, new PersistenceException(
                        new JDBCConnectionException("could not prepare statement", new SQLException("I/O error")))),
                row("Hibernate lock acquisition", Kind.LOCK_RACE, new PersistenceException(new LockAcquisitionException(
                        "could not execute statement", new SQLException("deadlock")))),
                row("Hibernate lock timeout", Kind.LOCK_RACE,
                        new LockTimeoutException("could not lock", new SQLException("lock timeout"))),
                row("Spring deadlock loser", Kind.LOCK_RACE, new DeadlockLoserDataAccessException("deadlock", null)),
                row("Spring cannot acquire lock", Kind.LOCK_RACE, new CannotAcquireLockException("lock wait")),
                row("JDBC query timeout", Kind.LOCK_RACE, new SQLTimeoutException("query timed out")),
                row("SQLSTATE HYT00 (timeout expired)", Kind.LOCK_RACE, new SQLException("timeout expired", "HYT00")),
                row("a batch whose next exception is the deadlock", Kind.LOCK_RACE, batchFailingWith(
                        new SQLException("ERROR: deadlock detected", "40P01"))),
                row("a lock race deep in the cause chain", Kind.LOCK_RACE, new IllegalStateException("detection failed",
                        new RuntimeException(new SQLException("ERROR: deadlock detected", "40P01")))),
                row("Spring: constraint violated", Kind.STATEMENTS_OWN_FAULT, new DataIntegrityViolationException(
                        "could not execute", new SQLException("duplicate key", "23505"))),
                row("not a database failure", Kind.STATEMENTS_OWN_FAULT, new IllegalStateException("template broken")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("failures")
    void classifies(String what, Kind kind, Throwable failure) {
        assertThat(SqlFailures.isLockRace(failure)).as("lock race").isEqualTo(kind == Kind.LOCK_RACE);
        assertThat(SqlFailures.isUnavailable(failure)).as("unavailable").isEqualTo(kind == Kind.UNAVAILABLE);
        assertThat(SqlFailures.isTransient(failure)).as("transient").isEqualTo(kind != Kind.STATEMENTS_OWN_FAULT);
    }

    @Test
    void reasonDoesNotQuoteTheRowFromPostgreSqlsDetail() {
        String reason = SqlFailures.reason(new DataIntegrityViolationException("could not execute",
                new SQLException("ERROR: duplicate key value violates unique constraint \"uk\"  Detail: Key (email)=(jane@example.com) already exists.", "23505")));

        assertThat(reason).isEqualTo("SQLSTATE 23505: ERROR: duplicate key value violates unique constraint \"uk\"")
                .doesNotContain("jane");
    }

    @Test
    void reasonKeepsTheFirstLineOnly() {
        assertThat(SqlFailures.reason(new SQLException("ERROR: value too long\n  Where: row 1", "22001")))
                .isEqualTo("SQLSTATE 22001: ERROR: value too long");
    }

    @Test
    void kindNamesTheInnermostExceptionAndItsSqlState() {
        assertThat(SqlFailures.kind(new DataIntegrityViolationException("could not execute",
                new SQLException("duplicate key", "23505")))).isEqualTo("java.sql.SQLException/23505");
        assertThat(SqlFailures.kind(new IllegalStateException("no sql"))).isEqualTo("java.lang.IllegalStateException");
    }

    private static Arguments row(String what, Kind kind, Throwable failure) {
        return Arguments.of(what, kind, failure);
    }

    private static BatchUpdateException batchFailingWith(SQLException cause) {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", null, 0, new int[0]);
        batch.setNextException(cause);
        return batch;
    }
}
