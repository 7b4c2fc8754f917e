package dev.admit.projection;

import dev.admit.domain.message.UserEvent;
import java.sql.Savepoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps the {@code users} table: every event of every user stream moves that user's row, strictly in order.
 *
 * <p>A row that an event reaches before an earlier one of its stream (an event the processor never delivered, see
 * {@code PassedGaps}) is caught up from the user's stream. An event that can never be applied (a payload that
 * cannot be read, a value the row cannot hold) is parked in {@code users_parked_events} and its user's row waits
 * there, while every other user moves on: a batch that fails is retried once per user, each under a savepoint,
 * and only the user that fails again is parked. A passing fault (the database going away) fails the batch, which
 * the processor retries.
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
    private static final String WAITING = "waits for an earlier parked event of its user";
    private static final Logger log = LoggerFactory.getLogger(UsersProjector.class);

    private final UserRows rows;
    private final UserStreamCatchUp catchUp;
    private final ParkedUserEvents parked;
    private final Savepoints savepoints;
    private final Clock clock;
    /** Users of a batch that failed: the next batch with any of them applies user by user. */
    private final Set<String> suspects = ConcurrentHashMap.newKeySet();

    public UsersProjector(
            UserRows rows, UserStreamCatchUp catchUp, ParkedUserEvents parked, JdbcTemplate jdbc, Clock clock) {
        this.rows = rows;
        this.catchUp = catchUp;
        this.parked = parked;
        this.savepoints = new Savepoints(jdbc);
        this.clock = clock;
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

    /** An event of the batch as it would be parked. */
    private record Seen(long sequence, Long globalIndex, String eventType) {}

    /** The processor's batch: its folded changes, and what was seen of each user, for parking. */
    private static final class Batch {
        final UserRows.Changes changes = new UserRows.Changes();
        final Map<String, List<Seen>> seen = new LinkedHashMap<>();
        boolean unreadable;

        void saw(String userId, Seen event) {
            seen.computeIfAbsent(userId, user -> new ArrayList<>(2)).add(event);
        }
    }

    /**
     * Collects the events of the processor's batch and writes them when its transaction prepares to commit, as
     * set-based statements: one insert per new user and one update per user the batch touches, instead of a
     * statement per event. Outside a unit of work (tests, tools) each event is written at once.
     */
    @Override
    public Object handle(EventMessage<?> message) {
        if (!(message instanceof DomainEventMessage<?> event)) {
            return null;
        }
        String userId = event.getAggregateIdentifier();
        long sequence = event.getSequenceNumber() + 1;
        if (!CurrentUnitOfWork.isStarted()) {
            if (event.getPayload() instanceof UserEvent userEvent) {
                UserRows.Changes one = new UserRows.Changes();
                one.add(userId, sequence, event.getTimestamp(), userEvent);
                catchUp.catchUp(rows.applyAll(one));
            }
            return null;
        }
        Batch batch = batch();
        Object payload;
        try {
            payload = event.getPayload();
        } catch (RuntimeException unreadable) {
            if (ProjectionFaults.lasting(unreadable).isEmpty()) {
                throw unreadable;
            }
            // applied user by user below, where the stepwise catch-up finds and parks it
            batch.saw(userId, new Seen(sequence, globalIndexOf(message), UserStreamCatchUp.typeOf(event)));
            batch.changes.breakOff(userId);
            batch.unreadable = true;
            return null;
        }
        if (payload instanceof UserEvent userEvent) {
            batch.saw(userId, new Seen(sequence, globalIndexOf(message), UserStreamCatchUp.typeOf(event)));
            batch.changes.add(userId, sequence, event.getTimestamp(), userEvent);
        }
        return null;
    }

    private Batch batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(PENDING, key -> {
            Batch pending = new Batch();
            unitOfWork.onPrepareCommit(committing -> write(pending));
            return pending;
        });
    }

    private static Long globalIndexOf(EventMessage<?> message) {
        if (message instanceof TrackedEventMessage<?> tracked && tracked.trackingToken() != null) {
            return tracked.trackingToken().position().stream()
                    .boxed()
                    .findFirst()
                    .orElse(null);
        }
        return null;
    }

    private void write(Batch batch) {
        boolean suspicious = batch.unreadable
                || (!suspects.isEmpty() && batch.seen.keySet().stream().anyMatch(suspects::contains));
        if (!suspicious) {
            try {
                for (String behind : rows.applyAll(batch.changes)) {
                    if (parked.isParked(behind)) {
                        park(behind, batch, Optional.empty());
                    } else {
                        catchUp.catchUp(behind);
                    }
                }
                return;
            } catch (RuntimeException failure) {
                suspects.addAll(batch.seen.keySet());
                throw failure;
            }
        }
        for (String userId : batch.changes.users()) {
            writeAlone(userId, batch);
        }
        suspects.removeAll(batch.seen.keySet());
    }

    /** One user's part of a suspicious batch, under a savepoint; a user whose event can never be applied is parked. */
    private void writeAlone(String userId, Batch batch) {
        if (parked.isParked(userId)) {
            park(userId, batch, Optional.empty());
            return;
        }
        Savepoint savepoint = savepoints.set();
        try {
            if (rows.applyAll(batch.changes.of(userId)).isEmpty()) {
                savepoints.release(savepoint);
                return;
            }
            savepoints.release(savepoint);
        } catch (RuntimeException failure) {
            if (ProjectionFaults.lasting(failure).isEmpty()) {
                throw failure;
            }
            savepoints.rollBackTo(savepoint);
        }
        catchUp.catchUpStepwise(userId, savepoints).ifPresent(stuck -> park(userId, batch, Optional.of(stuck)));
    }

    /** Parks the user's events of the batch, after {@code stuck} if one is given (it may be of an earlier batch). */
    private void park(String userId, Batch batch, Optional<UserStreamCatchUp.Stuck> stuck) {
        List<ParkedEvent> events = new ArrayList<>();
        java.time.Instant now = clock.instant();
        stuck.ifPresent(first -> {
            Long index = batch.seen.getOrDefault(userId, List.of()).stream()
                    .filter(seen -> seen.sequence() == first.sequence())
                    .map(Seen::globalIndex)
                    .findFirst()
                    .orElse(null);
            events.add(new ParkedEvent(userId, first.sequence(), index, first.eventType(), first.reason(), now));
            log.warn(
                    "Users projection: event {} of user {} ({}) is parked: {}; the user's row waits there until an "
                            + "operator retries or drops it",
                    first.sequence(),
                    userId,
                    first.eventType(),
                    first.reason());
        });
        long after = stuck.map(UserStreamCatchUp.Stuck::sequence).orElse(0L);
        for (Seen seen : batch.seen.getOrDefault(userId, List.of())) {
            if (seen.sequence() > after) {
                events.add(
                        new ParkedEvent(userId, seen.sequence(), seen.globalIndex(), seen.eventType(), WAITING, now));
            }
        }
        parked.park(events);
    }

    /** A replay starts from an empty table. */
    @Override
    public boolean supportsReset() {
        return true;
    }

    @Override
    public void prepareReset() {
        rows.deleteAll();
        parked.clear();
    }
}
