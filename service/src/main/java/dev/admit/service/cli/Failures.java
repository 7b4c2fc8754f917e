package dev.admit.service.cli;

import dev.admit.projection.RebuildAlreadyRunningException;
import dev.admit.store.stream.RefusedLineException;
import java.io.IOException;
import java.sql.SQLException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * What a failed command says: a sentence of its own for the failures an operator meets, the exception's class
 * otherwise. Never the exception's message, which may carry SQL or data.
 */
final class Failures {

    private Failures() {}

    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RefusedLineException refused) {
                return refused.getMessage() + "; nothing of its batch was stored";
            }
            if (cause instanceof RebuildAlreadyRunningException running) {
                return running.getMessage();
            }
            if (cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || (cause instanceof SQLException sql
                            && sql.getSQLState() != null
                            && sql.getSQLState().startsWith("08"))) {
                return "the database cannot be reached";
            }
            if (cause instanceof UsageException usage) {
                return usage.getMessage();
            }
            if (cause instanceof java.nio.file.NoSuchFileException missing) {
                return "no such file: " + missing.getFile();
            }
            if (cause instanceof IOException io && cause.getCause() == null && failure == cause) {
                return "input or output failed (" + io.getClass().getSimpleName() + ")";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return "failed (" + root.getClass().getSimpleName() + ")";
    }

    /** A mistake in how a command was called, said as is. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
