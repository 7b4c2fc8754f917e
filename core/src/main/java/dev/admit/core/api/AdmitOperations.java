package dev.admit.core.api;

import dev.admit.domain.user.UserId;
import dev.admit.projection.ParkedEvent;
import dev.admit.projection.ParkedEventsOperator.Outcome;
import dev.admit.projection.ProjectionStatus;
import java.util.List;

/**
 * What an operator does with Admit's read model. An event of a user stream that the users projection can never
 * apply (a payload that cannot be read, a value the table refuses) is parked: that user's row waits before it while
 * every other user moves on. Once the cause is cured, a retry applies it; a drop gives up on it.
 */
public interface AdmitOperations {

    /**
     * The parked events, oldest first.
     *
     * @param limit at most this many, 1 to 1000
     */
    List<ParkedEvent> parkedEvents(int limit);

    /** Applies the user's stream again from where the row waits. */
    Outcome retryParkedEvents(UserId userId);

    /**
     * Gives up on the user's first parked event: the row moves past it without it and takes the later events. The
     * row then lacks what that event changed, for good (until a rebuild).
     */
    Outcome dropParkedEvent(UserId userId);

    /** Where the users projection stands: each segment's position, its lag behind the store, the parked events. */
    ProjectionStatus projectionStatus();
}
