package dev.admit.projection;

import java.time.Duration;
import java.util.SortedSet;
import java.util.concurrent.TimeoutException;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rebuilds the users projection from the event store: stop its processor, reset its tokens (the reset handler
 * empties the table), start it again and let it replay every stream.
 */
public class UsersProjectionReplay {

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final JdbcTemplate jdbc;

    public UsersProjectionReplay(EventProcessingConfiguration processing, EventStore eventStore, JdbcTemplate jdbc) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.jdbc = jdbc;
    }

    /** Starts a rebuild and returns once the replay has begun; reads stay correct meanwhile. */
    public void rebuild() {
        StreamingEventProcessor processor = processor();
        processor.shutDown();
        processor.resetTokens();
        processor.start();
    }

    /** Whether the projection reflects every event stored when this was called. */
    public boolean isCaughtUp() {
        long head = position(eventStore.createHeadToken());
        StreamingEventProcessor processor = processor();
        var statuses = processor.processingStatus().values();
        if (head < 0) {
            return true;
        }
        return !statuses.isEmpty()
                && statuses.stream()
                        .allMatch(status -> status.getCurrentPosition().orElse(-1L) >= head)
                && !processor.isReplaying()
                && statuses.stream().noneMatch(status -> hasLateEvent(status.getTrackingToken()));
    }

    /** Waits until the processor has caught up with the store as it is now. */
    public void awaitCaughtUp(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isCaughtUp()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the users projection did not catch up within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Whether an event the token passed over as a gap (its transaction was still open then) has since been stored:
     * the processor has not applied it yet, although its position is beyond it.
     */
    private boolean hasLateEvent(TrackingToken token) {
        if (token == null) {
            return false;
        }
        return WrappedToken.unwrap(token, GapAwareTrackingToken.class)
                .map(gapAware -> {
                    SortedSet<Long> gaps = gapAware.getGaps();
                    if (gaps.isEmpty()) {
                        return false;
                    }
                    Long stored = jdbc.queryForObject(
                            "SELECT count(*) FROM domain_event_entry WHERE global_index = ANY (?)", Long.class, (Object)
                                    gaps.toArray(new Long[0]));
                    return stored != null && stored > 0;
                })
                .orElse(false);
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1L);
    }

    private StreamingEventProcessor processor() {
        return processing
                .eventProcessor(UsersProjector.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no streaming processor for the users projection"));
    }
}
