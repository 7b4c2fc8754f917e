package dev.admit.store;

import dev.admit.domain.serialization.StoredTimestamps;
import java.time.Instant;
import java.util.Collections;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;

/**
 * Rows of Axon's event table as Axon's event data, the way Axon's JDBC engine makes them, except that the stored
 * timestamp is parsed once, by {@link StoredTimestamps}. Shared by the service's event store engine and by the
 * users projection's rebuild, which reads the table itself.
 */
public final class StoredEventRows {

    /** Axon's JDBC engine defaults, which Admit keeps: how far below the newest index gaps are kept, the first index. */
    public static final int MAX_GAP_OFFSET = 10_000;

    private static final long LOWEST_GLOBAL_SEQUENCE = 1;

    private StoredEventRows() {}

    /** One stored event; its timestamp is parsed here, once, whenever it is asked for later. */
    public static GenericDomainEventEntry<byte[]> entry(
            String type,
            String aggregateIdentifier,
            long sequenceNumber,
            String eventIdentifier,
            String storedTimestamp,
            String payloadType,
            String payloadRevision,
            byte[] payload,
            byte[] metaData) {
        return new ParsedTimestampEntry(
                type,
                aggregateIdentifier,
                sequenceNumber,
                eventIdentifier,
                storedTimestamp,
                payloadType,
                payloadRevision,
                payload,
                metaData);
    }

    private static final class ParsedTimestampEntry extends GenericDomainEventEntry<byte[]> {

        private static final long serialVersionUID = 1L;

        private final Instant timestamp;

        ParsedTimestampEntry(
                String type,
                String aggregateIdentifier,
                long sequenceNumber,
                String eventIdentifier,
                String storedTimestamp,
                String payloadType,
                String payloadRevision,
                byte[] payload,
                byte[] metaData) {
            super(
                    type,
                    aggregateIdentifier,
                    sequenceNumber,
                    eventIdentifier,
                    storedTimestamp,
                    payloadType,
                    payloadRevision,
                    payload,
                    metaData);
            this.timestamp = StoredTimestamps.parse(storedTimestamp);
        }

        @Override
        public Instant getTimestamp() {
            return timestamp;
        }
    }

    /**
     * The token past the event at {@code index}, exactly as Axon's JDBC engine computes it: skipped indexes are kept
     * as gaps only while the event is younger than the gap timeout ({@code allowGaps}), since an older gap's
     * transaction can no longer commit.
     */
    public static GapAwareTrackingToken advance(GapAwareTrackingToken previous, long index, boolean allowGaps) {
        if (previous == null) {
            return GapAwareTrackingToken.newInstance(
                    index,
                    allowGaps
                            ? LongStream.range(Math.min(LOWEST_GLOBAL_SEQUENCE, index), index)
                                    .boxed()
                                    .collect(Collectors.toCollection(TreeSet::new))
                            : Collections.emptySortedSet());
        }
        return previous.advanceTo(index, allowGaps ? MAX_GAP_OFFSET : 0);
    }
}
