package io.github.cartrecovery.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;

import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.LockAcquisitionException;
import org.hibernate.exception.LockTimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The one place that tells a failure of the database from a statement it refused. Two kinds of failure mean
 * nothing is wrong with the work, which only has to run again:
 * <ul>
 * <li>a <b>lock race</b>: this transaction was a deadlock victim, waited too long for a lock, or could not be
 * serialised; run it again now;</li>
 * <li>the database is <b>unavailable</b>: connection refused or lost, server shutting down or restarting, no
 * connection from the pool in time; try again once it is back.</li>
 * </ul>
 * Anything else (a constraint, a syntax error, a value too long) is the statement's own fault. Spring, Hibernate
 * and the drivers wrap what the server said in different exceptions, so each test walks the cause chain (and each
 * SQL exception's chained "next" exceptions, where batches keep the real error), checking exception classes,
 * SQLSTATEs and MariaDB/MySQL error codes. Stateless.
 *
 * <table summary="what counts as what">
 * <tr><th></th><th>lock race</th><th>unavailable</th></tr>
 * <tr><td>SQLSTATE</td><td>class 40 (40001 serialisation failure or MariaDB/MySQL/HSQLDB deadlock, 40P01 PostgreSQL
 * deadlock), 55P03 (PostgreSQL lock timeout), HYT00 (timeout)</td><td>class 08 (connection exception), 57P (PostgreSQL
 * shutdown, crash, not accepting connections)</td></tr>
 * <tr><td>MariaDB/MySQL error</td><td>1205 (lock wait timeout, SQLSTATE HY000), 1213 (deadlock)</td><td></td></tr>
 * <tr><td>JDBC</td><td>SQLTransactionRollbackException, SQLTimeoutException and other SQLTransientExceptions</td>
 * <td>SQLTransientConnectionException (e.g. a pool timeout), SQLNonTransientConnectionException,
 * SQLRecoverableException</td></tr>
 * <tr><td>Spring, Hibernate</td><td>TransientDataAccessException (deadlock loser, cannot acquire lock, query
 * timeout...), LockAcquisitionException, LockTimeoutException</td><td>CannotCreateTransactionException,
 * TransactionSystemException (commit or rollback failed: the connection broke under the transaction),
 * DataAccessResourceFailureException (incl. no connection from the pool), RecoverableDataAccessException,
 * JDBCConnectionException</td></tr>
 * </table>
 */
public final class SqlFailures {

    /** MariaDB/MySQL ER_LOCK_WAIT_TIMEOUT (SQLSTATE HY000). */
    static final int MARIADB_LOCK_WAIT_TIMEOUT = 1205;
    /** MariaDB/MySQL ER_LOCK_DEADLOCK (SQLSTATE 40001). */
    static final int MARIADB_DEADLOCK = 1213;

    private SqlFailures() {
    }

    /** Lock race or unavailable: nothing is wrong with the work; keep it and try again. */
    public static boolean isTransient(Throwable failure) {
        return isLockRace(failure) || isUnavailable(failure);
    }

    /** A deadlock, a lock wait timeout or a serialisation failure: run the transaction again. */
    public static boolean isLockRace(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof TransientDataAccessException
                    || current instanceof LockAcquisitionException
                    || current instanceof LockTimeoutException
                    || (current instanceof SQLTransientException && !(current instanceof SQLTransientConnectionException))) {
                return true;
            }
            if (current instanceof SQLException) {
                for (SQLException sql = (SQLException) current; sql != null; sql = sql.getNextException()) {
                    String state = sql.getSQLState();
                    if (state != null && (state.startsWith("40") || state.equals("55P03") || state.equals("HYT00"))
                            || sql.getErrorCode() == MARIADB_DEADLOCK || sql.getErrorCode() == MARIADB_LOCK_WAIT_TIMEOUT) {
                        return true;
                    }
                    if (sql.getNextException() == sql) {
                        break;
                    }
                }
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return false;
    }

    /** Connection refused or lost, server shutting down or restarting, pool exhausted: wait for the database. */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof CannotCreateTransactionException
                    || current instanceof TransactionSystemException
                    || current instanceof DataAccessResourceFailureException
                    || current instanceof RecoverableDataAccessException
                    || current instanceof JDBCConnectionException
                    || current instanceof SQLTransientConnectionException
                    || current instanceof SQLNonTransientConnectionException
                    || current instanceof SQLRecoverableException) {
                return true;
            }
            if (current instanceof SQLException) {
                for (SQLException sql = (SQLException) current; sql != null; sql = sql.getNextException()) {
                    String state = sql.getSQLState();
                    if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                        return true;
                    }
                    if (sql.getNextException() == sql) {
                        break;
                    }
                }
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return false;
    }

    /**
     * What the database said, for CR_CAPTURE_REJECTION and the log: the SQLSTATE and the first line of the
     * innermost SQL exception's message, without PostgreSQL's "Detail:" part (which can quote the row's values).
     */
    public static String reason(Throwable failure) {
        SQLException innermost = null;
        Throwable last = failure;
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof SQLException) {
                innermost = (SQLException) current;
            }
            last = current;
            if (current.getCause() == current) {
                break;
            }
        }
        String message = innermost != null ? innermost.getMessage() : last.getMessage();
        if (message == null) {
            message = (innermost != null ? innermost : last).getClass().getSimpleName();
        }
        int cut = message.indexOf('\n');
        if (cut >= 0) {
            message = message.substring(0, cut);
        }
        int detail = message.indexOf("Detail:");
        if (detail >= 0) {
            message = message.substring(0, detail).trim();
        }
        String state = innermost == null ? null : innermost.getSQLState();
        return state == null ? message : "SQLSTATE " + state + ": " + message;
    }

    /** A key naming the kind of failure (innermost exception class and SQLSTATE), for throttled logging. */
    public static String kind(Throwable failure) {
        String state = null;
        Throwable last = failure;
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof SQLException && ((SQLException) current).getSQLState() != null) {
                state = ((SQLException) current).getSQLState();
            }
            last = current;
            if (current.getCause() == current) {
                break;
            }
        }
        return last.getClass().getName() + (state == null ? "" : "/" + state);
    }
}
