package dev.admit.spring.boot.axon;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;

/**
 * The meters Axon's monitors keep for a component's messages, under the same names and tags: counters {@code
 * <prefix>.ingestedCounter}, {@code .successCounter}, {@code .failureCounter}, {@code .processedCounter} and {@code
 * .ignoredCounter}; timers {@code <prefix>.allTimer}, {@code .successTimer}, {@code .failureTimer} and {@code
 * .ignoredTimer}; and the gauge {@code <prefix>.capacity} where asked for. Axon's monitors build and register every
 * meter again for each message (nine registry lookups, with their tags, per command and per event handled); here the
 * meters of a tag set are looked up once and kept.
 *
 * <p>Replaces Axon's {@code org.axonframework.micrometer.MessageCountingMonitor}, {@code MessageTimerMonitor} and
 * {@code CapacityMonitor} as {@code GlobalMetricRegistry} combines them; checked on Axon 4.13.0.
 */
public final class MessageMeters implements MessageMonitor<Message<?>> {

    /** Axon's timers publish these percentiles, over ten minutes. */
    private static final double[] PERCENTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};

    private static final Duration PERCENTILE_EXPIRY = Duration.ofMinutes(10);

    private final String prefix;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Function<Message<?>, Object> keyOf;
    private final Function<Object, Tags> tagsOf;
    private final boolean countersTagged;
    private final Duration capacityWindow;
    private final ConcurrentHashMap<Object, Meters> meters = new ConcurrentHashMap<>();
    private final Counters untaggedCounters;

    private MessageMeters(
            String prefix,
            MeterRegistry registry,
            Function<Message<?>, Object> keyOf,
            Function<Object, Tags> tagsOf,
            boolean countersTagged,
            Duration capacityWindow) {
        this.prefix = prefix;
        this.registry = registry;
        this.clock = registry.config().clock();
        this.keyOf = keyOf;
        this.tagsOf = tagsOf;
        this.countersTagged = countersTagged;
        this.capacityWindow = capacityWindow;
        this.untaggedCounters = countersTagged ? null : new Counters(Tags.empty());
    }

    /** An event processor's meters, tagged with its name: counters, timers and its capacity over {@code window}. */
    public static MessageMeters ofProcessor(
            String prefix, String tag, String processorName, MeterRegistry registry, Duration window) {
        Tags tags = Tags.of(tag, processorName);
        return new MessageMeters(prefix, registry, message -> processorName, key -> tags, true, window);
    }

    /**
     * A command bus's meters, all tagged {@code payloadType} with the command's simple class name, with capacity
     * over {@code window}.
     */
    public static MessageMeters ofCommandBus(String prefix, MeterRegistry registry, Duration window) {
        return new MessageMeters(
                prefix, registry, Message::getPayloadType, MessageMeters::payloadTypeTags, true, window);
    }

    /** An event bus's (event store's) meters: timers tagged {@code payloadType}, counters untagged, no capacity. */
    public static MessageMeters ofEventBus(String prefix, MeterRegistry registry) {
        return new MessageMeters(
                prefix, registry, Message::getPayloadType, MessageMeters::payloadTypeTags, false, null);
    }

    private static Tags payloadTypeTags(Object payloadType) {
        return Tags.of("payloadType", ((Class<?>) payloadType).getSimpleName());
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        Meters timed = meters.computeIfAbsent(keyOf.apply(message), this::metersOf);
        Counters counted = countersTagged ? timed.counters : untaggedCounters;
        long started = clock.monotonicTime();
        counted.ingested.increment();
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                timed.success.record(took(), TimeUnit.NANOSECONDS);
                counted.processed.increment();
                counted.succeeded.increment();
            }

            @Override
            public void reportFailure(Throwable cause) {
                timed.failure.record(took(), TimeUnit.NANOSECONDS);
                counted.processed.increment();
                counted.failed.increment();
            }

            @Override
            public void reportIgnored() {
                timed.ignored.record(took(), TimeUnit.NANOSECONDS);
                counted.ignored.increment();
            }

            /** The time since the message came in, recorded by the all-messages timer and the busy time. */
            private long took() {
                long now = clock.monotonicTime();
                long took = now - started;
                timed.all.record(took, TimeUnit.NANOSECONDS);
                if (timed.busy != null) {
                    timed.busy.add(took, now);
                }
                return took;
            }
        };
    }

    private Meters metersOf(Object key) {
        Tags tags = tagsOf.apply(key);
        return new Meters(tags, countersTagged ? new Counters(tags) : null, capacityWindow);
    }

    /** The counters of one tag set, registered once. */
    private final class Counters {
        final Counter ingested;
        final Counter succeeded;
        final Counter failed;
        final Counter processed;
        final Counter ignored;

        Counters(Tags tags) {
            ingested = registry.counter(prefix + ".ingestedCounter", tags);
            succeeded = registry.counter(prefix + ".successCounter", tags);
            failed = registry.counter(prefix + ".failureCounter", tags);
            processed = registry.counter(prefix + ".processedCounter", tags);
            ignored = registry.counter(prefix + ".ignoredCounter", tags);
        }
    }

    /** The timers (and counters, where tagged alike) of one tag set, registered once. */
    private final class Meters {
        final Counters counters;
        final Timer all;
        final Timer success;
        final Timer failure;
        final Timer ignored;
        final BusyTimeWindow busy;

        Meters(Tags tags, Counters counters, Duration window) {
            this.counters = counters;
            all = timer("allTimer", tags);
            success = timer("successTimer", tags);
            failure = timer("failureTimer", tags);
            ignored = timer("ignoredTimer", tags);
            if (window == null) {
                busy = null;
            } else {
                busy = new BusyTimeWindow(window);
                Gauge.builder(prefix + ".capacity", busy, kept -> kept.capacity(clock.monotonicTime()))
                        .tags(tags)
                        .register(registry);
            }
        }

        private Timer timer(String name, Tags tags) {
            return Timer.builder(prefix + "." + name)
                    .distributionStatisticExpiry(PERCENTILE_EXPIRY)
                    .publishPercentiles(PERCENTILES)
                    .tags(tags)
                    .register(registry);
        }
    }
}
