package dev.admit.projection;

import dev.admit.domain.message.UserEvent;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.SourceId;

/** Keeps the {@code users} table: every event of every user stream moves that user's row. */
@ProcessingGroup(UsersProjector.PROCESSING_GROUP)
public class UsersProjector {

    public static final String PROCESSING_GROUP = "admit-users";

    private final UserRows rows;

    public UsersProjector(UserRows rows) {
        this.rows = rows;
    }

    @EventHandler
    public void on(UserEvent event, @SourceId String userId, @SequenceNumber long sequence, @Timestamp Instant at) {
        rows.apply(userId, sequence + 1, at, event);
    }

    /** A replay starts from an empty table. */
    @ResetHandler
    public void reset() {
        rows.deleteAll();
    }
}
