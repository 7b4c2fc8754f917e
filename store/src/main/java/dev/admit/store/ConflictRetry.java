package dev.admit.store;

import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Retries a command only when it lost a race on a stream (another writer appended the same position first), at a
 * short fixed interval; everything else, domain refusals above all, is answered as it is. Axon's own check asks
 * about every cause of a failure and gives up if any is not retryable, and a lost race always wraps the
 * database's exception, so the decision is made here on the whole chain instead.
 */
public final class ConflictRetry extends IntervalRetryScheduler {

    private ConflictRetry(Builder builder) {
        super(builder);
    }

    public static ConflictRetry create(ScheduledExecutorService executor, long intervalMillis, int maxRetries) {
        return new ConflictRetry(IntervalRetryScheduler.builder()
                .retryExecutor(executor)
                .retryInterval(Math.toIntExact(intervalMillis))
                .maxRetryCount(maxRetries));
    }

    @Override
    protected boolean isExplicitlyNonTransient(Throwable failure) {
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
