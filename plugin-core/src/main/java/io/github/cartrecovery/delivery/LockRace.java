package io.github.cartrecovery.delivery;

import java.sql.SQLException;

import org.springframework.dao.TransientDataAccessException;

/**
 * Recognises a lost lock race (deadlock victim, lock wait timeout, serialisation failure): nothing is
 * wrong with the work, it only has to run again. JDBC through Broadleaf's JPA connection surfaces these
 * as Hibernate exceptions rather than Spring's, so the SQLSTATE class "40" is checked down the cause chain.
 */
final class LockRace {

    private LockRace() {
    }

    static boolean is(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof TransientDataAccessException
                    || current instanceof org.hibernate.exception.LockAcquisitionException
                    || current instanceof org.hibernate.exception.LockTimeoutException
                    || current instanceof java.sql.SQLTransactionRollbackException) {
                return true;
            }
            if (current instanceof SQLException) {
                String state = ((SQLException) current).getSQLState();
                if (state != null && state.startsWith("40")) {
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
