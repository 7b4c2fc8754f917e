package dev.admit.projection;

import dev.admit.domain.serialization.StoredTimestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
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
        this.select = "SELECT "
                + String.join(
                        ", ",
                        schema.globalIndexColumn(),
                        schema.typeColumn(),
                        schema.aggregateIdentifierColumn(),
                        schema.sequenceNumberColumn(),
                        schema.eventIdentifierColumn(),
                        schema.timestampColumn(),
                        schema.payloadTypeColumn(),
                        schema.payloadRevisionColumn(),
                        schema.payloadColumn(),
                        schema.metaDataColumn())
                + " FROM " + schema.domainEventTable()
                + " WHERE " + schema.globalIndexColumn() + " > ?"
                + " ORDER BY " + schema.globalIndexColumn() + " LIMIT ?";
    }

    /** The stored events after {@code after} (the start of the table if null), at most {@code limit} of them. */
    List<TrackedEventData<?>> fetch(GapAwareTrackingToken after, int limit) {
        Instant gapHorizon = GenericEventMessage.clock.instant().minus(gapTimeout);
        List<TrackedEventData<?>> rows = new ArrayList<>(limit);
        GapAwareTrackingToken[] token = {after};
        jdbc.query(
                select,
                rs -> {
                    String aggregateIdentifier = rs.getString(3);
                    String eventIdentifier = rs.getString(5);
                    DomainEventData<byte[]> entry = StoredEventRows.entry(
                            rs.getString(2),
                            eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                            rs.getLong(4),
                            eventIdentifier,
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getBytes(9),
                            rs.getBytes(10));
                    token[0] = StoredEventRows.advance(
                            token[0], rs.getLong(1), entry.getTimestamp().isAfter(gapHorizon));
                    rows.add(new TrackedDomainEventData<>(token[0], entry));
                },
                after == null ? -1L : after.getIndex(),
                limit);
        return rows;
    }

    /** A stored event of a stream, as a rebuild folds it. */
    record StoredEvent(String aggregateIdentifier, long sequenceNumber, Instant timestamp, Object payload) {}

    /**
     * The fetched events of aggregate streams, payloads deserialized. Without upcasters each payload goes straight
     * to the serializer; with them, through Axon's upcasting, as the engine would.
     */
    List<StoredEvent> events(List<TrackedEventData<?>> fetched) {
        List<StoredEvent> events = new ArrayList<>(fetched.size());
        if (upcasters instanceof NoOpEventUpcaster) {
            for (TrackedEventData<?> data : fetched) {
                if (data instanceof DomainEventData<?> event && event.getAggregateIdentifier() != null) {
                    events.add(new StoredEvent(
                            event.getAggregateIdentifier(),
                            event.getSequenceNumber(),
                            event.getTimestamp(),
                            serializer.deserialize(event.getPayload())));
                }
            }
            return events;
        }
        EventUtils.upcastAndDeserializeTrackedEvents(fetched.stream(), serializer, upcasters)
                .forEach(message -> {
                    if (message instanceof DomainEventMessage<?> event && event.getAggregateIdentifier() != null) {
                        events.add(new StoredEvent(
                                event.getAggregateIdentifier(),
                                event.getSequenceNumber(),
                                event.getTimestamp(),
                                event.getPayload()));
                    }
                });
        return events;
    }
}
