package dev.admit.api.config;

import java.time.Clock;
import java.time.Duration;
import org.axonframework.eventhandling.GenericEventMessage;

/**
 * Sets the clock Axon stamps new events with (a JVM-wide setting of Axon's): the application's clock, ticking in
 * whole milliseconds because the JDBC event store stores timestamps at that precision.
 */
public final class EventTimestamps {

    public EventTimestamps(Clock clock) {
        GenericEventMessage.clock = Clock.tick(clock, Duration.ofMillis(1));
    }
}
