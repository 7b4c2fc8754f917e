package dev.admit.projection;

import java.sql.SQLException;
import java.util.Optional;
import org.axonframework.serialization.SerializationException;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Tells a fault that applying the same event again can never cure (a payload that cannot be read, a value the row
 * cannot hold) from one that passes (the database going away, a lock timeout): the first parks the user's event,
 * the second is retried with the whole batch.
 */
final class ProjectionFaults {

    private ProjectionFaults() {}

    /** Why the event can never be applied, in words without any value of the event; empty for a passing fault. */
    static Optional<String> lasting(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SerializationException) {
                return Optional.of("the payload cannot be read");
            }
            if (cause instanceof DataIntegrityViolationException) {
                return Optional.of("the row cannot hold it" + sqlState(cause));
            }
        }
        return Optional.empty();
    }

    private static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return " (SQLState " + sql.getSQLState() + ")";
            }
        }
        return "";
    }
}
