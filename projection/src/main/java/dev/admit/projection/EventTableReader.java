package dev.admit.projection;

import dev.admit.domain.serialization.EventTypes;
import dev.admit.domain.serialization.StoredTimestamps;
import dev.admit.store.StoredEventRows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads the whole event table in global order for a rebuild, in large batches, upcast and deserialized as Axon's
 * JDBC engine would, with the same gap-aware tokens: an index missing from the table is kept as a gap while its
 * neighbours are younger than the gap timeout (its transaction may still commit), so a processor resuming from the
 * last token picks it up once it appears. Timestamps are parsed by {@link StoredTimestamps}.
 */
final class EventTableReader {

    private static final byte[] NO_BYTES = new byte[0];

    /**
     * The stored names of the event types whose payloads the users row reads (see {@link
     * UserRows.Changes#readsPayloadOf}), quoted for SQL.
     */
    private static final String READ_TYPES = java.util.stream.Stream.of(
                    dev.admit.domain.message.HumanUserAdded.class,
                    dev.admit.domain.message.PasswordChanged.class,
                    dev.admit.domain.message.PasskeyAdded.class,
                    dev.admit.domain.message.PasskeyRemoved.class,
                    dev.admit.domain.message.IdpLinkAdded.class,
                    dev.admit.domain.message.IdpLinkRemoved.class)
            .peek(type -> {
                if (!UserRows.Changes.readsPayloadOf(type)) {
                    throw new IllegalStateException(type + " is not read by the users row");
                }
            })
            .map(type -> "'" + EventTypes.nameOf(type).orElseThrow() + "'")
            .collect(java.util.stream.Collectors.joining(", "));

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final EventUpcaster upcasters;
    private final Duration gapTimeout;
    private final String select;

    EventTableReader(
            JdbcTemplate jdbc,
            EventSchema schema,
            Serializer serializer,
            EventUpcaster upcasters,
            Duration gapTimeout) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.upcasters = upcasters;
        this.gapTimeout = gapTimeout;
        boolean upcasting = !(upcasters instanceof NoOpEventUpcaster);
        String readTypesOnly = "CASE WHEN " + schema.payloadTypeColumn() + " IN (" + READ_TYPES + ") THEN ";
        this.select = "SELECT "
                + String.join(
                        ", ",
                        schema.globalIndexColumn(),
                        // without upcasters the row is folded from its stream, sequence, time and payload type
                        // alone: the aggregate type and event identifier are not sent, and a row outside any stream
                        // (whose aggregate identifier is its event identifier) comes without an aggregate
                        upcasting ? schema.typeColumn() : "NULL",
                        upcasting
                                ? schema.aggregateIdentifierColumn()
                                : "CASE WHEN " + schema.aggregateIdentifierColumn() + " <> "
                                        + schema.eventIdentifierColumn() + " THEN "
                                        + schema.aggregateIdentifierColumn() + " END",
                        schema.sequenceNumberColumn(),
                        upcasting ? schema.eventIdentifierColumn() : "NULL",
                        schema.timestampColumn(),
                        schema.payloadTypeColumn(),
                        // without upcasters only the payloads the row reads are fetched (see events()), and no
                        // metadata: the other payloads are not sent at all
                        upcasting
                                ? schema.payloadRevisionColumn()
                                : readTypesOnly + schema.payloadRevisionColumn() + " END",
                        upcasting ? schema.payloadColumn() : readTypesOnly + schema.payloadColumn() + " END",
                        upcasting ? schema.metaDataColumn() : "NULL")
                + " FROM " + schema.domainEventTable()
                + " WHERE " + schema.globalIndexColumn() + " > ?"
                + " ORDER BY " + schema.globalIndexColumn() + " LIMIT ?";
    }

    /**
     * A fetched stretch of the table: its rows in global order with their global indexes, and the token past the
     * last of them (the position {@code after} started from when there were none).
     */
    record Chunk(List<DomainEventData<?>> rows, long[] indexes, GapAwareTrackingToken end) {

        boolean isEmpty() {
            return rows.isEmpty();
        }
    }

    /**
     * The stored events after {@code after} (the start of the table if null), at most {@code limit} of them. The
     * token is only made for the chunk's end: Axon's token copies its set of gaps at every step, which was a third
     * of this reader's time when made for every row.
     */
    Chunk fetch(GapAwareTrackingToken after, int limit) {
        Instant gapHorizon = GenericEventMessage.clock.instant().minus(gapTimeout);
        List<DomainEventData<?>> rows = new ArrayList<>(limit);
        long[] indexes = new long[limit];
        GapAwarePosition position = new GapAwarePosition(after);
        jdbc.query(
                select,
                rs -> {
                    String aggregateIdentifier = rs.getString(3);
                    // null where the query already left out the aggregate of a row outside any stream
                    String eventIdentifier = rs.getString(5);
                    DomainEventData<byte[]> entry = StoredEventRows.entry(
                            rs.getString(2),
                            eventIdentifier != null && eventIdentifier.equals(aggregateIdentifier)
                                    ? null
                                    : aggregateIdentifier,
                            rs.getLong(4),
                            eventIdentifier,
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            orEmpty(rs.getBytes(9)),
                            orEmpty(rs.getBytes(10)));
                    long index = rs.getLong(1);
                    position.advance(index, entry.getTimestamp().isAfter(gapHorizon));
                    indexes[rows.size()] = index;
                    rows.add(entry);
                },
                after == null ? -1L : after.getIndex(),
                limit);
        return new Chunk(
                rows, java.util.Arrays.copyOf(indexes, rows.size()), rows.isEmpty() ? after : position.token());
    }

    /** A column the query left out (see the constructor) as no bytes, which Axon's event data cannot hold as null. */
    private static byte[] orEmpty(byte[] column) {
        return column == null ? NO_BYTES : column;
    }

    /**
     * A stored event of a stream, as a rebuild folds it: its type, and its payload unless the users row needs
     * nothing from it ({@code null} then).
     */
    record StoredEvent(
            String aggregateIdentifier, long sequenceNumber, Instant timestamp, Class<?> payloadType, Object payload) {}

    /**
     * The fetched events of aggregate streams. Without upcasters the type comes from the stored name and only the
     * payloads of {@code human.added} and of the authentication-method events are fetched and deserialized (every
     * other event only moves the row's sequence, date and flag; reading their payloads was most of the fold's time); with upcasters every payload is fetched
     * and goes through Axon's upcasting, as the engine would, since an upcaster may change any type.
     */
    List<StoredEvent> events(List<? extends DomainEventData<?>> fetched) {
        List<StoredEvent> events = new ArrayList<>(fetched.size());
        if (upcasters instanceof NoOpEventUpcaster) {
            for (DomainEventData<?> event : fetched) {
                if (event.getAggregateIdentifier() != null) {
                    // a name Admit does not store is no user event (another application's, in a shared store)
                    Class<?> type = EventTypes.classOf(
                                    event.getPayload().getType().getName())
                            .<Class<?>>map(known -> known)
                            .orElse(Object.class);
                    Object payload =
                            UserRows.Changes.readsPayloadOf(type) ? serializer.deserialize(event.getPayload()) : null;
                    events.add(new StoredEvent(
                            event.getAggregateIdentifier(),
                            event.getSequenceNumber(),
                            event.getTimestamp(),
                            type,
                            payload));
                }
            }
            return events;
        }
        // rows outside any aggregate stream are left out before upcasting, which needs an aggregate on every row
        EventStreamUtils.asStream(EventStreamUtils.upcastAndDeserializeDomainEvents(
                        fetched.stream().filter(event -> event.getAggregateIdentifier() != null),
                        serializer,
                        upcasters))
                .forEach(event -> events.add(new StoredEvent(
                        event.getAggregateIdentifier(),
                        event.getSequenceNumber(),
                        event.getTimestamp(),
                        event.getPayloadType(),
                        event.getPayload())));
        return events;
    }
}
