package dev.admit.projection;

import dev.admit.domain.message.UserEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Keeps the {@code users} table: every event of every user stream moves that user's row.
 *
 * <p>A plain {@link EventMessageHandler} rather than an annotated one: it takes every event of one type family and
 * reads three fields of the message, and Axon's annotation adapter asked, for every event and twice, whether the
 * handler allows replays by walking its handler methods' annotations, then resolved each parameter reflectively
 * (about a tenth of the service's allocations and a twentieth of its CPU per verification). Register it with the
 * processing configuration ({@code registerEventHandler}); its {@link ProcessingGroup} names the processor.
 */
@ProcessingGroup(UsersProjector.PROCESSING_GROUP)
public class UsersProjector implements EventMessageHandler {

    public static final String PROCESSING_GROUP = "admit-users";
    private static final String PENDING = UsersProjector.class.getName() + ".pending";

    private final UserRows rows;

    public UsersProjector(UserRows rows) {
        this.rows = rows;
    }

    /** Events of user streams; anything else on the bus is not this projection's. */
    @Override
    public boolean canHandle(EventMessage<?> event) {
        return event instanceof DomainEventMessage<?> && canHandleType(event.getPayloadType());
    }

    @Override
    public boolean canHandleType(Class<?> payloadType) {
        return UserEvent.class.isAssignableFrom(payloadType);
    }

    /**
     * Collects the events of the processor's batch and writes them when its transaction prepares to commit, as
     * set-based statements: one insert per new user and one update per user the batch touches, instead of a
     * statement per event. Outside a unit of work (tests, tools) each event is written at once.
     */
    @Override
    public Object handle(EventMessage<?> message) {
        if (!(message instanceof DomainEventMessage<?> event) || !(event.getPayload() instanceof UserEvent userEvent)) {
            return null;
        }
        String userId = event.getAggregateIdentifier();
        long sequence = event.getSequenceNumber() + 1;
        if (!CurrentUnitOfWork.isStarted()) {
            rows.apply(userId, sequence, event.getTimestamp(), userEvent);
            return null;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        UserRows.Changes changes = batch.getOrComputeResource(PENDING, key -> {
            UserRows.Changes pending = new UserRows.Changes();
            batch.onPrepareCommit(unitOfWork -> rows.applyAll(pending));
            return pending;
        });
        changes.add(userId, sequence, event.getTimestamp(), userEvent);
        return null;
    }

    /** A replay starts from an empty table. */
    @Override
    public boolean supportsReset() {
        return true;
    }

    @Override
    public void prepareReset() {
        rows.deleteAll();
    }
}
