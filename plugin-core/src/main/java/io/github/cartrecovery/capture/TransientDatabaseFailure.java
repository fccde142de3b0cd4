package io.github.cartrecovery.capture;

import java.sql.SQLException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure of the database itself (unreachable, restarting, a lock wait or deadlock) from a row it
 * refused. After the first, capture keeps its observations and tries again later: nothing is wrong with them.
 * After the second, the row is recorded as rejected and the rest go on. Walks the cause chain: Spring's and
 * Hibernate's connection and locking exceptions, JDBC's transient and connection exceptions, and the SQLSTATE
 * classes 08 (connection), 40 (transaction rollback: deadlock, serialization), 57P (PostgreSQL shutdown) and
 * HYT00 (timeout), plus MariaDB's lock wait timeout (error 1205, SQLSTATE HY000).
 */
final class TransientDatabaseFailure {

    private static final int MARIADB_LOCK_WAIT_TIMEOUT = 1205;

    private TransientDatabaseFailure() {
    }

    static boolean is(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof CannotCreateTransactionException
                    || current instanceof TransactionSystemException
                    || current instanceof DataAccessResourceFailureException
                    || current instanceof RecoverableDataAccessException
                    || current instanceof TransientDataAccessException
                    || current instanceof PessimisticLockingFailureException
                    || current instanceof org.hibernate.exception.JDBCConnectionException
                    || current instanceof org.hibernate.exception.LockAcquisitionException
                    || current instanceof java.sql.SQLTransientException
                    || current instanceof java.sql.SQLNonTransientConnectionException
                    || current instanceof java.sql.SQLRecoverableException) {
                return true;
            }
            if (current instanceof SQLException) {
                SQLException sql = (SQLException) current;
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("57P")
                        || state.equals("HYT00")) || sql.getErrorCode() == MARIADB_LOCK_WAIT_TIMEOUT) {
                    return true;
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
    static String reason(Throwable failure) {
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

    /** A key naming the kind of failure (exception class and SQLSTATE), for throttled logging. */
    static String cause(Throwable failure) {
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
