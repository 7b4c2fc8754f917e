package dev.admit.projection;

import dev.admit.domain.message.UserEvent;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.SourceId;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/** Keeps the {@code users} table: every event of every user stream moves that user's row. */
@ProcessingGroup(UsersProjector.PROCESSING_GROUP)
public class UsersProjector {

    public static final String PROCESSING_GROUP = "admit-users";
    private static final String PENDING = UsersProjector.class.getName() + ".pending";

    private final UserRows rows;

    public UsersProjector(UserRows rows) {
        this.rows = rows;
    }

    /**
     * Collects the events of the processor's batch and writes them when its transaction prepares to commit, as
     * JDBC batches: one insert per new user and one update per user the batch touches, instead of a statement per
     * event. Outside a unit of work (tests, tools) each event is written at once.
     */
    @EventHandler
    public void on(UserEvent event, @SourceId String userId, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (!CurrentUnitOfWork.isStarted()) {
            rows.apply(userId, sequence + 1, at, event);
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        UserRows.Changes changes = batch.getOrComputeResource(PENDING, key -> {
            UserRows.Changes pending = new UserRows.Changes();
            batch.onPrepareCommit(unitOfWork -> rows.applyAll(pending));
            return pending;
        });
        changes.add(userId, sequence + 1, at, event);
    }

    /** A replay starts from an empty table. */
    @ResetHandler
    public void reset() {
        rows.deleteAll();
    }
}
