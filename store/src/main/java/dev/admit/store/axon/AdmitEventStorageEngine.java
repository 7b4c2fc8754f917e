package dev.admit.store.axon;

import dev.admit.domain.serialization.StoredTimestamps;
import dev.admit.store.PassedGaps;
import dev.admit.store.StoredEventRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

/**
 * Axon's JDBC engine, reading stored timestamps with {@link StoredTimestamps} instead of a {@code
 * DateTimeFormatter}: the engine parses an event's timestamp once for its gap check and again whenever it is asked
 * for, on every read by every processor and every aggregate load, and that parsing was the largest single cost in
 * the service's profile. It also ends an aggregate's stream at its first short batch (see {@link
 * #fetchForAggregateUntilEmpty()}). Everything else, the gap handling included, is Axon's, unchanged.
 *
 * <p>Replaces parts of Axon's {@code JdbcEventStorageEngine}; checked on Axon 4.13.0.
 */
public final class AdmitEventStorageEngine extends JdbcEventStorageEngine {

    private final EventSchema schema;
    private final Duration gapTimeout;
    private final PassedGaps passedGaps;

    /**
     * @param builder a builder given {@code schema} and {@code gapTimeout}, and Axon's default gap offset and lowest
     *     global sequence
     * @param passedGaps where the stretches of the index a tracking read moved past without an event are recorded
     */
    public AdmitEventStorageEngine(Builder builder, EventSchema schema, Duration gapTimeout, PassedGaps passedGaps) {
        super(builder);
        this.schema = schema;
        this.gapTimeout = gapTimeout;
        this.passedGaps = passedGaps;
    }

    /**
     * Axon's tracked read, which also records the indexes it moved past for good (see {@link PassedGaps}). A
     * failure to record fails the read, so the reader tries again from the same position and nothing is missed.
     */
    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        List<? extends TrackedEventData<?>> events = super.fetchTrackedEvents(lastToken, batchSize);
        if (events.isEmpty() || !(lastToken instanceof GapAwareTrackingToken previous)) {
            return events;
        }
        if (!(events.get(events.size() - 1).trackingToken() instanceof GapAwareTrackingToken last)) {
            return events;
        }
        long[] read = new long[events.size()];
        int count = 0;
        for (TrackedEventData<?> event : events) {
            if (event.trackingToken() instanceof GapAwareTrackingToken token) {
                read[count++] = token.getIndex();
            }
        }
        List<PassedGaps.Stretch> passed = PassedGaps.passedBetween(
                previous.getGaps(),
                previous.getIndex(),
                last.getGaps(),
                last.getIndex(),
                count == read.length ? read : Arrays.copyOf(read, count));
        passedGaps.record(passed);
        return events;
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        String aggregateIdentifier = resultSet.getString(schema.aggregateIdentifierColumn());
        String eventIdentifier = resultSet.getString(schema.eventIdentifierColumn());
        DomainEventData<?> event = entry(
                resultSet, eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier, eventIdentifier);
        boolean allowGaps =
                event.getTimestamp().isAfter(GenericEventMessage.clock.instant().minus(gapTimeout));
        return new TrackedDomainEventData<>(
                StoredEventRows.advance(previousToken, resultSet.getLong(schema.globalIndexColumn()), allowGaps),
                event);
    }

    @Override
    protected DomainEventData<?> getDomainEventData(ResultSet resultSet) throws SQLException {
        return entry(
                resultSet,
                resultSet.getString(schema.aggregateIdentifierColumn()),
                resultSet.getString(schema.eventIdentifierColumn()));
    }

    /**
     * A batch shorter than the batch size ends the stream. Axon's JDBC engine instead reads on until a batch comes
     * back empty, which costs every aggregate load a second, empty query. A stream's positions are gapless (each
     * append takes the next one, and (stream, position) is unique), so a range that comes back short has no events
     * after it; an event appended by someone else meanwhile makes the command's own append collide on that unique
     * position, exactly as it would after the extra read.
     */
    @Override
    protected boolean fetchForAggregateUntilEmpty() {
        return false;
    }

    /**
     * The whole stream of an aggregate read with one query, if it holds fewer than {@code limit} events; empty if it
     * holds more (then nothing is deserialized). Streams start at position 0 and have no gaps.
     */
    public Optional<DomainEventStream> readStreamShorterThan(String aggregateIdentifier, int limit) {
        List<? extends DomainEventData<?>> events = fetchDomainEvents(aggregateIdentifier, 0, limit);
        if (events.size() >= limit) {
            return Optional.empty();
        }
        return Optional.of(EventStreamUtils.upcastAndDeserializeDomainEvents(
                events.stream(), getEventSerializer(), upcasterChain));
    }

    @Override
    protected DomainEventData<?> getSnapshotData(ResultSet resultSet) throws SQLException {
        return getDomainEventData(resultSet);
    }

    private DomainEventData<?> entry(ResultSet resultSet, String aggregateIdentifier, String eventIdentifier)
            throws SQLException {
        return StoredEventRows.entry(
                resultSet.getString(schema.typeColumn()),
                aggregateIdentifier,
                resultSet.getLong(schema.sequenceNumberColumn()),
                eventIdentifier,
                resultSet.getString(schema.timestampColumn()),
                resultSet.getString(schema.payloadTypeColumn()),
                resultSet.getString(schema.payloadRevisionColumn()),
                resultSet.getBytes(schema.payloadColumn()),
                resultSet.getBytes(schema.metaDataColumn()));
    }
}
