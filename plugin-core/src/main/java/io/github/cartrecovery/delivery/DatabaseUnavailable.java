package io.github.cartrecovery.delivery;

import java.sql.SQLException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Recognises a failure of the database itself (connection refused or lost, server shutting down or restarting):
 * nothing is wrong with the messages, so delivery must not mark them FAILED; their claims are released (or expire)
 * and they are tried again once the database is back. Found by the reliability suite: a MariaDB restart during
 * prepare made one message FAILED (PREPARE_ERROR) for "JDBC begin transaction failed", a PostgreSQL restart one for
 * "Could not roll back JPA transaction". Safe for prepare: nothing of a chunk is handed to SMTP unless it committed.
 * Checks Spring's wrappers and, down the cause chain, JDBC's connection exceptions and SQLSTATE classes
 * 08 (connection exception) and 57P (PostgreSQL operator intervention: admin shutdown, crash shutdown).
 */
final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    static boolean is(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof CannotCreateTransactionException
                    // commit or rollback failed: the connection broke under the transaction (PostgreSQL restart)
                    || current instanceof org.springframework.transaction.TransactionSystemException
                    || current instanceof DataAccessResourceFailureException
                    || current instanceof org.springframework.dao.RecoverableDataAccessException
                    || current instanceof org.hibernate.exception.JDBCConnectionException
                    || current instanceof java.sql.SQLTransientConnectionException
                    || current instanceof java.sql.SQLNonTransientConnectionException
                    || current instanceof java.sql.SQLRecoverableException) {
                return true;
            }
            if (current instanceof SQLException) {
                String state = ((SQLException) current).getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                    return true;
                }
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return false;
    }
}
