package dev.admit.core.api;

import dev.admit.domain.user.UserId;
import dev.admit.projection.ParkedEvent;
import dev.admit.projection.ParkedEventsOperator.Outcome;
import dev.admit.projection.ProjectionStatus;
import dev.admit.projection.RebuildProgress;
import dev.admit.projection.RebuildResult;
import java.util.List;
import java.util.function.Consumer;

/**
 * What an operator does with Admit's read model. An event of a user stream that the users projection can never
 * apply (a payload that cannot be read, a value the table refuses) is parked: that user's row waits before it while
 * every other user moves on. Once the cause is cured, a retry applies it; a drop gives up on it. A rebuild writes the
 * read model anew from the event store beside the live one and swaps it in.
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

    /**
     * Rebuilds the users read model from every stored event, blue/green: a shadow table is written while reads, lists
     * included, use the live one, then swapped in within one short transaction together with whatever was written
     * meanwhile. A rebuild that was killed carries on from its last chunk. Returns once the rebuilt table is live and
     * the projection has caught up. Blocks for as long as it takes: call it from a thread of your own.
     *
     * @param progress told after every chunk of events, on the calling thread
     * @throws dev.admit.projection.RebuildAlreadyRunningException while another rebuild runs, on any node
     */
    RebuildResult rebuildUsersProjection(Consumer<RebuildProgress> progress);
}
