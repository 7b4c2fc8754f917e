package dev.admit.projection;

import java.time.Duration;

/**
 * A finished rebuild of the users projection.
 *
 * @param eventsApplied events folded into the rebuilt table, those of an interrupted run it resumed included
 * @param position the global index the swapped-in table reflects; the projection carries on from there
 * @param resumed whether it carried on from an interrupted run's shadow table
 * @param took how long this run took
 */
public record RebuildResult(long eventsApplied, long position, boolean resumed, Duration took) {}
