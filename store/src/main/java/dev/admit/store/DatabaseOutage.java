package dev.admit.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a database that cannot be reached from other faults, and says so once per outage: one WARN when the first
 * failure of an outage is reported, one INFO when a call succeeds again, instead of a line for every request and
 * every retry while it lasts.
 */
public final class DatabaseOutage {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutage.class);
    private static final AtomicBoolean DOWN = new AtomicBoolean();

    private DatabaseOutage() {}

    /** Whether the failure means the database could not be reached (or the connection broke under the call). */
    public static boolean isUnreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLRecoverableException
                    || cause instanceof RecoverableDataAccessException
                    // a commit or rollback that could not complete: in practice the connection broke under it
                    || cause instanceof TransactionSystemException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof java.net.ConnectException
                    || (cause instanceof SQLException sql
                            && sql.getSQLState() != null
                            && (sql.getSQLState().startsWith("08")
                                    || sql.getSQLState().startsWith("57P")))
                    // the pool's own "connection is closed": PostgreSQL's errors always carry a SQLState
                    || (cause.getClass() == SQLException.class && ((SQLException) cause).getSQLState() == null)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reports a failure; if the database could not be reached and no outage was known yet, says so in one WARN.
     *
     * @return whether the failure means the database could not be reached
     */
    public static boolean report(Throwable failure) {
        if (!isUnreachable(failure)) {
            return false;
        }
        if (DOWN.compareAndSet(false, true)) {
            log.warn(
                    "The database cannot be reached ({}); calls answer UNAVAILABLE and background work retries until "
                            + "it is back",
                    rootClass(failure));
        }
        return true;
    }

    /** Reports a call that reached the database; ends a known outage with one INFO. */
    public static void reached() {
        if (DOWN.get() && DOWN.compareAndSet(true, false)) {
            log.info("The database is reachable again");
        }
    }

    private static String rootClass(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName();
    }
}
