package dev.admit.projection;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a rebuild of the users projection stands, as told to its progress callback after every chunk.
 *
 * @param phase what it is doing
 * @param eventsApplied events folded into the shadow table so far, those of an interrupted run it resumed included
 * @param position the global index it has read up to
 * @param head the store's highest global index when it last looked
 * @param eventsPerSecond events folded per second in this run
 */
public record RebuildProgress(Phase phase, long eventsApplied, long position, long head, double eventsPerSecond) {

    public enum Phase {
        /** Writing the shadow table from the store while reads use the live one. */
        BUILDING,
        /** Swapping the shadow table in, with the events written meanwhile, in one short transaction. */
        SWAPPING,
        /** The rebuilt table is the live one. */
        DONE
    }

    /** The time left at this run's rate, if it can be told. */
    public Optional<Duration> eta() {
        if (phase == Phase.DONE) {
            return Optional.of(Duration.ZERO);
        }
        if (eventsPerSecond <= 0 || head < position) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis((long) ((head - position) / eventsPerSecond * 1000)));
    }
}
