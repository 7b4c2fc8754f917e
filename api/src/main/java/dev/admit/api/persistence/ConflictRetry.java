package dev.admit.api.persistence;

import java.util.function.Predicate;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Which command failures are worth retrying: only a lost race on a stream (another writer appended the same
 * position first). Everything else, domain refusals above all, is answered as it is.
 */
public final class ConflictRetry implements Predicate<Throwable> {

    /** {@code true} when the failure is NOT a write conflict, as Axon's retry scheduler asks. */
    @Override
    public boolean test(Throwable failure) {
        return !isWriteConflict(failure);
    }

    public static boolean isWriteConflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConcurrencyException || cause instanceof AggregateStreamCreationException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
