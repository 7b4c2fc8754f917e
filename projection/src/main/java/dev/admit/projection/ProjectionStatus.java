package dev.admit.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where the users projection stands against the event store.
 *
 * @param processor the processing group's name
 * @param headIndex the event store's highest global index, -1 when it is empty
 * @param segments each segment's position and owner
 * @param lagEvents events stored after the least advanced segment's position
 * @param lag how long the oldest event not yet applied has been waiting; zero when caught up
 * @param parkedEvents events parked for an operator
 * @param at when this was read
 */
public record ProjectionStatus(
        String processor,
        long headIndex,
        List<Segment> segments,
        long lagEvents,
        Duration lag,
        long parkedEvents,
        Instant at) {

    /**
     * One segment of the processor.
     *
     * @param segment its id
     * @param position the global index it has reached, -1 before the first event
     * @param owner the node that holds its claim, if any
     */
    public record Segment(int segment, long position, String owner) {}

    public boolean isCaughtUp() {
        return lagEvents == 0;
    }
}
