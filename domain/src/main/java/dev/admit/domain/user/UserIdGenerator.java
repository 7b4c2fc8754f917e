package dev.admit.domain.user;

import java.time.Clock;
import java.time.Instant;

/**
 * Time-ordered numeric user ids such as {@code 69629023906488334}: milliseconds since 2024-01-01 in the high bits,
 * then a node number (so several instances never collide), then a per-millisecond counter. Ids from one generator
 * strictly increase, even if the wall clock steps back.
 */
public final class UserIdGenerator {

    static final long EPOCH_MILLIS = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    static final int NODE_BITS = 10;
    static final int COUNTER_BITS = 12;
    public static final int MAX_NODE = (1 << NODE_BITS) - 1;
    private static final long MAX_COUNTER = (1L << COUNTER_BITS) - 1;

    private final Clock clock;
    private final long node;
    private long lastMillis = -1;
    private long counter;

    /**
     * @param node this instance's number, 0 to {@link #MAX_NODE}; instances sharing a database need distinct ones
     */
    public UserIdGenerator(Clock clock, int node) {
        if (node < 0 || node > MAX_NODE) {
            throw new IllegalArgumentException("node must be between 0 and " + MAX_NODE);
        }
        this.clock = clock;
        this.node = node;
    }

    public synchronized UserId next() {
        long millis = Math.max(Math.max(clock.millis() - EPOCH_MILLIS, 0), lastMillis);
        if (millis == lastMillis) {
            counter = (counter + 1) & MAX_COUNTER;
            if (counter == 0) {
                // this millisecond is used up: borrow the next one, which keeps ids increasing
                millis++;
            }
        } else {
            counter = 0;
        }
        lastMillis = millis;
        return new UserId(Long.toString((millis << (NODE_BITS + COUNTER_BITS)) | (node << COUNTER_BITS) | counter));
    }
}
