package dev.admit.spring.boot.axon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EventProcessorLatencyGaugeTest {

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final Logger micrometer = (Logger) LoggerFactory.getLogger("io.micrometer");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureMicrometersLog() {
        logged.start();
        micrometer.addAppender(logged);
    }

    @AfterEach
    void stopCapturing() {
        micrometer.detachAppender(logged);
    }

    private static GenericEventMessage<String> storedAt(long epochMillis) {
        return new GenericEventMessage<>(
                "id-" + epochMillis, "payload", MetaData.emptyInstance(), Instant.ofEpochMilli(epochMillis));
    }

    @Test
    void the_gauge_shows_how_long_ago_the_last_event_taken_in_was_stored() {
        EventProcessorLatencyGauge monitor =
                new EventProcessorLatencyGauge("eventProcessor", registry, Tags.of("processorName", "admit-users"));
        clock.add(10_000, TimeUnit.MILLISECONDS);
        Gauge gauge = registry.get("eventProcessor.latency")
                .tag("processorName", "admit-users")
                .gauge();
        assertThat(gauge.value()).isZero();

        monitor.onMessageIngested(storedAt(clock.wallTime() - 250));
        assertThat(gauge.value()).isEqualTo(250.0);

        monitor.onMessageIngested(storedAt(clock.wallTime() - 40));
        assertThat(gauge.value()).isEqualTo(40.0);
    }

    @Test
    void events_taken_in_register_nothing_more_and_log_nothing() {
        EventProcessorLatencyGauge monitor =
                new EventProcessorLatencyGauge("eventProcessor", registry, Tags.of("processorName", "admit-users"));
        int meters = registry.getMeters().size();

        for (int event = 0; event < 3; event++) {
            monitor.onMessageIngested(storedAt(clock.wallTime()));
        }

        assertThat(registry.getMeters()).hasSize(meters);
        assertThat(logged.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
    }
}
