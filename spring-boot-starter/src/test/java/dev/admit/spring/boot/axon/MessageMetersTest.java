package dev.admit.spring.boot.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor.MonitorCallback;
import org.junit.jupiter.api.Test;

class MessageMetersTest {

    record VerifyCode(String id) {}

    record AddUser(String id) {}

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

    private static Message<?> command(Object payload) {
        return GenericCommandMessage.asCommandMessage(payload);
    }

    private MonitorCallback handle(MessageMeters meters, Message<?> message, long millis) {
        MonitorCallback callback = meters.onMessageIngested(message);
        clock.add(millis, TimeUnit.MILLISECONDS);
        return callback;
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private long timed(String name, String... tags) {
        return registry.get(name).tags(tags).timer().count();
    }

    @Test
    void a_command_bus_counts_and_times_each_command_type_under_axons_names() {
        MessageMeters meters = MessageMeters.ofCommandBus("commandBus", registry, Duration.ofMinutes(10));

        handle(meters, command(new VerifyCode("1")), 5).reportSuccess();
        handle(meters, command(new VerifyCode("2")), 5).reportFailure(new IllegalStateException("refused"));
        handle(meters, command(new AddUser("3")), 5).reportIgnored();

        assertThat(count("commandBus.ingestedCounter", "payloadType", "VerifyCode"))
                .isEqualTo(2);
        assertThat(count("commandBus.successCounter", "payloadType", "VerifyCode"))
                .isEqualTo(1);
        assertThat(count("commandBus.failureCounter", "payloadType", "VerifyCode"))
                .isEqualTo(1);
        assertThat(count("commandBus.processedCounter", "payloadType", "VerifyCode"))
                .isEqualTo(2);
        assertThat(timed("commandBus.allTimer", "payloadType", "VerifyCode")).isEqualTo(2);
        assertThat(timed("commandBus.successTimer", "payloadType", "VerifyCode"))
                .isEqualTo(1);
        assertThat(timed("commandBus.failureTimer", "payloadType", "VerifyCode"))
                .isEqualTo(1);
        assertThat(registry.get("commandBus.successTimer")
                        .tags("payloadType", "VerifyCode")
                        .timer()
                        .totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(5.0);

        assertThat(count("commandBus.ingestedCounter", "payloadType", "AddUser"))
                .isEqualTo(1);
        assertThat(count("commandBus.ignoredCounter", "payloadType", "AddUser")).isEqualTo(1);
        assertThat(count("commandBus.processedCounter", "payloadType", "AddUser"))
                .as("an ignored message is not counted as processed, as in Axon's monitor")
                .isZero();
        assertThat(timed("commandBus.ignoredTimer", "payloadType", "AddUser")).isEqualTo(1);
        assertThat(registry.get("commandBus.capacity")
                        .tags("payloadType", "AddUser")
                        .gauge())
                .isNotNull();
    }

    @Test
    void meters_are_registered_once_per_tag_set_however_many_messages_come() {
        MessageMeters meters = MessageMeters.ofCommandBus("commandBus", registry, Duration.ofMinutes(10));
        handle(meters, command(new VerifyCode("0")), 1).reportSuccess();
        int registered = registry.getMeters().size();

        for (int i = 1; i < 100; i++) {
            handle(meters, command(new VerifyCode(Integer.toString(i))), 1).reportSuccess();
        }

        assertThat(registry.getMeters()).hasSize(registered);
        assertThat(count("commandBus.successCounter", "payloadType", "VerifyCode"))
                .isEqualTo(100);
    }

    @Test
    void an_event_bus_counts_every_event_untagged_and_times_them_by_type() {
        MessageMeters meters = MessageMeters.ofEventBus("eventStore", registry);

        handle(meters, GenericEventMessage.asEventMessage(new VerifyCode("1")), 1)
                .reportSuccess();
        handle(meters, GenericEventMessage.asEventMessage(new AddUser("2")), 1).reportSuccess();

        assertThat(registry.get("eventStore.ingestedCounter").counter().getId().getTags())
                .isEmpty();
        assertThat(registry.get("eventStore.ingestedCounter").counter().count()).isEqualTo(2);
        assertThat(timed("eventStore.allTimer", "payloadType", "VerifyCode")).isEqualTo(1);
        assertThat(timed("eventStore.allTimer", "payloadType", "AddUser")).isEqualTo(1);
        assertThat(registry.find("eventStore.capacity").gauges()).isEmpty();
    }

    @Test
    void an_event_processors_capacity_is_its_busy_time_over_the_window() {
        MessageMeters meters = MessageMeters.ofProcessor(
                "eventProcessor", "processorName", "admit-users", registry, Duration.ofSeconds(15));

        for (int i = 0; i < 3; i++) {
            handle(meters, GenericEventMessage.asEventMessage(new VerifyCode("e" + i)), 500)
                    .reportSuccess();
        }

        assertThat(count("eventProcessor.processedCounter", "processorName", "admit-users"))
                .isEqualTo(3);
        double capacity = registry.get("eventProcessor.capacity")
                .tags("processorName", "admit-users")
                .gauge()
                .value();
        assertThat(capacity).isEqualTo(1.5 / 15);

        clock.add(16, TimeUnit.SECONDS);
        assertThat(registry.get("eventProcessor.capacity")
                        .tags("processorName", "admit-users")
                        .gauge()
                        .value())
                .as("busy time older than the window no longer counts")
                .isZero();
    }
}
