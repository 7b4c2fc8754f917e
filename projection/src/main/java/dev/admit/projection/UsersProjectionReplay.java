package dev.admit.projection;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * Rebuilds the users projection from the event store: stop its processor, reset its tokens (the reset handler
 * empties the table), start it again and let it replay every stream.
 */
public class UsersProjectionReplay {

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;

    public UsersProjectionReplay(EventProcessingConfiguration processing, EventStore eventStore) {
        this.processing = processing;
        this.eventStore = eventStore;
    }

    /** Starts a rebuild and returns once the replay has begun; reads stay correct meanwhile. */
    public void rebuild() {
        StreamingEventProcessor processor = processor();
        processor.shutDown();
        processor.resetTokens();
        processor.start();
    }

    /** Whether the processor has applied every event stored when this was called. */
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
                && !processor.isReplaying();
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

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1L);
    }

    private StreamingEventProcessor processor() {
        return processing
                .eventProcessor(UsersProjector.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no streaming processor for the users projection"));
    }
}
