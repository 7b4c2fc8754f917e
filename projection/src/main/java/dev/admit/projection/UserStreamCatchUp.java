package dev.admit.projection;

import dev.admit.domain.message.UserEvent;
import dev.admit.domain.serialization.EventTypes;
import java.sql.Savepoint;
import java.util.Collection;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;

/**
 * Brings a user's row up to date from the user's own stream in the event store: whatever the row lacks, in order.
 * The read path does this before answering, and the projector for a row that an event reached before an earlier
 * one (an event the processor never saw, see {@code PassedGaps}).
 */
public final class UserStreamCatchUp {

    /** A row another writer moves on meanwhile is read again; more rounds than this means something is wrong. */
    private static final int ROUNDS = 3;

    /** Reads a stream from a position on: an event store's or a storage engine's {@code readEvents}. */
    @FunctionalInterface
    public interface Streams {
        DomainEventStream read(String aggregateIdentifier, long firstSequenceNumber);
    }

    private final UserRows rows;
    private final Streams eventStore;

    public UserStreamCatchUp(UserRows rows, Streams streams) {
        this.rows = rows;
        this.eventStore = streams;
    }

    /** Applies the events of the user's stream after those the row holds; run it inside a transaction. */
    public void catchUp(String userId) {
        for (int round = 1; ; round++) {
            long applied = rows.sequenceOf(userId).orElse(0L);
            UserRows.Changes changes = new UserRows.Changes();
            DomainEventStream events = eventStore.read(userId, applied);
            while (events.hasNext()) {
                DomainEventMessage<?> event = events.next();
                long sequence = event.getSequenceNumber() + 1;
                if (event.getPayload() instanceof UserEvent payload) {
                    changes.add(userId, sequence, event.getTimestamp(), payload);
                } else {
                    // a type this version does not know (a newer node wrote it): it only moves the row on
                    changes.touch(userId, sequence, event.getTimestamp(), false);
                }
            }
            if (rows.applyAll(changes).isEmpty()) {
                return;
            }
            if (round == ROUNDS) {
                throw new IllegalStateException(
                        "the users row of a stream could not be brought up to date in order from position " + applied);
            }
        }
    }

    public void catchUp(Collection<String> userIds) {
        userIds.forEach(this::catchUp);
    }

    /** The first event of a stream that can never be applied, and why. */
    public record Stuck(long sequence, String eventType, String reason) {}

    /**
     * Catches the row up one event at a time, each under its own savepoint, and stops before the first event that
     * can never be applied (see {@link ProjectionFaults}); a passing fault is thrown. Slower than {@link
     * #catchUp(String)}: for a user already under suspicion.
     *
     * @return the event the row stopped before, if any
     */
    Optional<Stuck> catchUpStepwise(String userId, Savepoints savepoints) {
        long applied = rows.sequenceOf(userId).orElse(0L);
        DomainEventStream events = eventStore.read(userId, applied);
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            long sequence = event.getSequenceNumber() + 1;
            Savepoint savepoint = savepoints.set();
            try {
                UserRows.Changes one = new UserRows.Changes();
                if (event.getPayload() instanceof UserEvent payload) {
                    one.add(userId, sequence, event.getTimestamp(), payload);
                } else {
                    one.touch(userId, sequence, event.getTimestamp(), false);
                }
                if (!rows.applyAll(one).isEmpty()) {
                    throw new IllegalStateException("the users row of a stream moved while it was caught up");
                }
                savepoints.release(savepoint);
            } catch (RuntimeException failure) {
                Optional<String> lasting = ProjectionFaults.lasting(failure);
                if (lasting.isEmpty()) {
                    throw failure;
                }
                savepoints.rollBackTo(savepoint);
                return Optional.of(new Stuck(sequence, typeOf(event), lasting.get()));
            }
        }
        return Optional.empty();
    }

    /** The stored type name of an event, also when its payload cannot be read. */
    static String typeOf(EventMessage<?> event) {
        try {
            Class<?> type = event.getPayloadType();
            return EventTypes.nameOf(type).orElse(type.getName());
        } catch (RuntimeException unknown) {
            return "unknown";
        }
    }
}
