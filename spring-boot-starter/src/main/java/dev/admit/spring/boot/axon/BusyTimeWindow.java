package dev.admit.spring.boot.axon;

import java.time.Duration;

/**
 * The time spent handling messages within a sliding window, in buckets of a fifteenth of the window: the {@code
 * capacity} of Axon's monitors (busy time in the window ÷ the window; 1 is one thread busy all the time). Axon's
 * reservoir keeps every measurement in a skip list; this keeps fifteen sums, so a handled message costs an addition.
 */
final class BusyTimeWindow {

    private static final int BUCKETS = 15;

    private final long windowNanos;
    private final long bucketNanos;
    private final long[] slots = new long[BUCKETS];
    private final long[] busyNanos = new long[BUCKETS];

    BusyTimeWindow(Duration window) {
        this.windowNanos = window.toNanos();
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
        java.util.Arrays.fill(slots, Long.MIN_VALUE);
    }

    /** Adds {@code nanos} of handling that ended at {@code monotonicNow}. */
    synchronized void add(long nanos, long monotonicNow) {
        long slot = Math.floorDiv(monotonicNow, bucketNanos);
        int bucket = (int) Math.floorMod(slot, BUCKETS);
        if (slots[bucket] != slot) {
            slots[bucket] = slot;
            busyNanos[bucket] = 0;
        }
        busyNanos[bucket] += nanos;
    }

    /** Busy time of the buckets within the window ending at {@code monotonicNow}, as a share of the window. */
    synchronized double capacity(long monotonicNow) {
        long current = Math.floorDiv(monotonicNow, bucketNanos);
        long busy = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            if (slots[bucket] > current - BUCKETS && slots[bucket] <= current) {
                busy += busyNanos[bucket];
            }
        }
        return (double) busy / windowNanos;
    }
}
