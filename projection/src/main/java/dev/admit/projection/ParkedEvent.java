package dev.admit.projection;

import java.time.Instant;

/**
 * An event of a user stream the users projection could not apply. The user's row waits before the first parked
 * event of that user; other users are not held up.
 *
 * @param userId the stream
 * @param sequence the event's 1-based position in the stream
 * @param globalIndex its position in the event store, if known
 * @param eventType its stored type name
 * @param reason why it could not be applied, without any value from the event
 * @param parkedAt when it was parked
 */
public record ParkedEvent(
        String userId, long sequence, Long globalIndex, String eventType, String reason, Instant parkedAt) {}
