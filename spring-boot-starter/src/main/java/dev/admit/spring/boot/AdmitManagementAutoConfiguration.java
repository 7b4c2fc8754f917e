package dev.admit.spring.boot;

import dev.admit.api.management.ManagementServer;
import dev.admit.api.management.ProjectionOperations;
import dev.admit.core.api.Admit;
import dev.admit.projection.ProjectionStatus;
import dev.admit.projection.ProjectionStatusReader;
import dev.admit.spring.boot.axon.EventProcessorLatencyGauge;
import dev.admit.spring.boot.axon.MessageMeters;
import dev.admit.store.AdmitTables;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.TagsUtil;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The management port ({@code admit.management.*}): Prometheus metrics, liveness and readiness. Off unless
 * {@code admit.management.enabled=true}; the standalone service turns it on. Metrics go to the host's {@link
 * PrometheusMeterRegistry} where it has one (Spring Boot Actuator's), else to a registry of Admit's own with the
 * JVM's metrics bound.
 */
// after Actuator's Prometheus export, whose registry (with its own JVM metrics) is then the one used
@AutoConfiguration(
        after = AdmitAutoConfiguration.class,
        afterName =
                "org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus.PrometheusMetricsExportAutoConfiguration")
@ConditionalOnClass(
        name = {"dev.admit.api.management.ManagementServer", "io.micrometer.prometheusmetrics.PrometheusMeterRegistry"})
@ConditionalOnProperty(prefix = "admit.management", name = "enabled", havingValue = "true")
public class AdmitManagementAutoConfiguration {

    /** The projection's status, read at most once per second however often it is scraped or probed. */
    static final class CachedStatus {
        private static final Duration FRESH = Duration.ofSeconds(1);

        private final ProjectionStatusReader reader;
        private final Clock clock;
        private ProjectionStatus last;
        private Instant readAt = Instant.MIN;

        CachedStatus(ProjectionStatusReader reader, Clock clock) {
            this.reader = reader;
            this.clock = clock;
        }

        synchronized ProjectionStatus get() {
            Instant now = clock.instant();
            if (last == null || readAt.plus(FRESH).isBefore(now)) {
                last = reader.read();
                readAt = now;
            }
            return last;
        }

        /** The last status, or NaN values when the database cannot be read now. */
        double value(java.util.function.ToDoubleFunction<ProjectionStatus> measure) {
            try {
                return measure.applyAsDouble(get());
            } catch (RuntimeException unreadable) {
                return Double.NaN;
            }
        }
    }

    /**
     * Latencies as Prometheus histograms, which aggregate across nodes, and no quantiles computed in the process:
     * Armeria's and Axon's timers ask for them by default, and keeping them cost more CPU per request than the rest of
     * the metrics together (performance.md). A bean, so Actuator applies it to a host's registries before any meter.
     */
    @Bean
    public MeterFilter admitTimerFilter() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                String name = id.getName();
                if (name.startsWith("admit.server.")) {
                    return DistributionStatisticConfig.builder()
                            .percentilesHistogram(true)
                            .percentiles(new double[0])
                            .build()
                            .merge(config);
                }
                if (name.startsWith("commandBus")
                        || name.startsWith("eventStore")
                        || name.startsWith("eventProcessor")
                        || name.startsWith("eventBus")
                        || name.startsWith("queryBus")) {
                    return DistributionStatisticConfig.builder()
                            .percentiles(new double[0])
                            .build()
                            .merge(config);
                }
                return config;
            }
        };
    }

    /** Admit's registry where the host has none (Spring Boot Actuator's wins where it is configured). */
    @Bean
    @ConditionalOnMissingBean(PrometheusMeterRegistry.class)
    public PrometheusMeterRegistry admitMeterRegistry(MeterFilter admitTimerFilter) {
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        own.config().meterFilter(admitTimerFilter);
        new JvmMemoryMetrics().bindTo(own);
        new JvmGcMetrics().bindTo(own);
        new JvmThreadMetrics().bindTo(own);
        new ClassLoaderMetrics().bindTo(own);
        new ProcessorMetrics().bindTo(own);
        new UptimeMetrics().bindTo(own);
        return own;
    }

    /** Verifications by outcome, codes issued by delivery, refusals by id. */
    @Bean
    AdmitMeters admitMeters(PrometheusMeterRegistry registry) {
        return new AdmitMeters(registry);
    }

    /** Axon's own monitors: command bus, event store and each processor (counters, latencies, capacity). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.axonframework.micrometer.GlobalMetricRegistry")
    static class AxonMetrics {

        @Bean
        AdmitEngineCustomizer axonMetrics(PrometheusMeterRegistry registry) {
            GlobalMetricRegistry axon = new GlobalMetricRegistry(registry);
            Map<String, MessageMonitor<? extends Message<?>>> monitors = new java.util.concurrent.ConcurrentHashMap<>();
            return configurer -> configurer.configureMessageMonitor(config ->
                    (componentType, componentName) -> anyMessage(monitors.computeIfAbsent(
                            componentType.getName() + "/" + componentName,
                            key -> monitorOf(componentType, componentName, registry, axon))));
        }

        /**
         * Admit's monitors, which keep their meters (see {@link MessageMeters}), for event processors, command buses
         * and event buses; Axon's own for any other component. One per component, however often the configuration
         * asks for it.
         */
        private static MessageMonitor<? extends Message<?>> monitorOf(
                Class<?> componentType, String componentName, MeterRegistry registry, GlobalMetricRegistry axon) {
            if (EventProcessor.class.isAssignableFrom(componentType)) {
                return eventProcessorMonitor(componentName, registry);
            }
            if (CommandBus.class.isAssignableFrom(componentType)) {
                return MessageMeters.ofCommandBus(componentName, registry, AXON_CAPACITY_WINDOW);
            }
            if (EventBus.class.isAssignableFrom(componentType)) {
                return MessageMeters.ofEventBus(componentName, registry);
            }
            return axon.registerComponentWithDefaultTags(componentType, componentName);
        }

        /** As Axon's own registry hands its monitors over: each monitors the messages of its component. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        private static MessageMonitor<Message<?>> anyMessage(MessageMonitor<? extends Message<?>> monitor) {
            return (MessageMonitor) monitor;
        }

        /** How long an event processor's capacity is averaged over. */
        static final Duration CAPACITY_WINDOW = Duration.ofSeconds(15);

        /** Axon's window for the capacity of other components (a command bus's). */
        static final Duration AXON_CAPACITY_WINDOW = Duration.ofMinutes(10);

        /**
         * The meters {@code GlobalMetricRegistry} gives an event processor, with its tags, but with the capacity averaged
         * over {@link #CAPACITY_WINDOW} rather than Axon's ten minutes, and its latency gauge registered once.
         */
        @SuppressWarnings({"unchecked", "rawtypes"})
        static MessageMonitor<? extends Message<?>> eventProcessorMonitor(String name, MeterRegistry registry) {
            String prefix = "eventProcessor";
            List monitors = List.of(
                    MessageMeters.ofProcessor(prefix, TagsUtil.PROCESSOR_NAME_TAG, name, registry, CAPACITY_WINDOW),
                    new EventProcessorLatencyGauge(
                            prefix,
                            registry,
                            io.micrometer.core.instrument.Tags.of(TagsUtil.PROCESSOR_NAME_TAG, name)));
            return new MultiMessageMonitor<>(monitors);
        }
    }

    /** Invite mails in the outbox by state, read at most once per second. */
    static final class OutboxStates {
        private final JdbcTemplate jdbc;
        private final String countByState;
        private final Clock clock;
        private Map<String, Long> last = Map.of();
        private Instant readAt = Instant.MIN;

        OutboxStates(JdbcTemplate jdbc, AdmitTables tables, Clock clock) {
            this.jdbc = jdbc;
            this.countByState = tables.sql("SELECT state, count(*) FROM {invite_mail_outbox} GROUP BY state");
            this.clock = clock;
        }

        synchronized double count(String state) {
            Instant now = clock.instant();
            if (readAt.plusSeconds(1).isBefore(now)) {
                try {
                    Map<String, Long> counts = new HashMap<>();
                    jdbc.query(countByState, rs -> {
                        counts.put(rs.getString(1), rs.getLong(2));
                    });
                    last = counts;
                    readAt = now;
                } catch (RuntimeException unreadable) {
                    return Double.NaN;
                }
            }
            return last.getOrDefault(state, 0L);
        }
    }

    @Bean
    public ManagementServer admitManagementServer(
            AdmitProperties properties,
            AdmitEngine engine,
            Clock clock,
            PrometheusMeterRegistry registry,
            DataSource dataSource,
            AdmitTables tables,
            Admit admit,
            ObjectProvider<AdmitServerAutoConfiguration.Authentication> authentication) {
        OutboxStates outbox = new OutboxStates(new JdbcTemplate(dataSource), tables, clock);
        for (String state : new String[] {"PENDING", "SENT", "SKIPPED", "FAILED"}) {
            Gauge.builder("admit.mail.outbox", outbox, o -> o.count(state))
                    .description("Invite mails in the outbox by state (SENT and SKIPPED ones until the retention)")
                    .tag("state", state)
                    // the gauge is all that holds it
                    .strongReference(true)
                    .register(registry);
        }
        CachedStatus status = new CachedStatus(engine.projectionStatus(), clock);
        bindProjection(registry, status);
        Duration maxLag = properties.management().readyMaxLag();
        Optional<ProjectionOperations> operations = Optional.ofNullable(authentication.getIfAvailable())
                .map(tokens -> new ProjectionOperations(tokens.verifier(), admit.operations()));
        return new ManagementServer(
                properties.management().port(),
                registry::scrape,
                (ManagementServer.Readiness) () -> {
                    List<String> problems = new ArrayList<>();
                    ProjectionStatus now;
                    try {
                        now = status.get();
                    } catch (RuntimeException unreachable) {
                        return List.of("the database cannot be reached");
                    }
                    if (now.lag().compareTo(maxLag) > 0) {
                        problems.add("the users projection trails the event store by "
                                + now.lag().toSeconds() + " s ("
                                + now.lagEvents() + " events; admit.management.ready-max-lag is " + maxLag.toSeconds()
                                + " s)");
                    }
                    return problems;
                },
                operations);
    }

    static void bindProjection(MeterRegistry registry, CachedStatus status) {
        Gauge.builder("admit.projection.lag.events", status, s -> s.value(ProjectionStatus::lagEvents))
                .description("Events stored after the users projection's least advanced segment")
                .strongReference(true)
                .register(registry);
        Gauge.builder(
                        "admit.projection.lag.seconds",
                        status,
                        s -> s.value(p -> p.lag().toMillis() / 1000.0))
                .description("How long the oldest event the users projection has not applied has waited")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("admit.projection.parked.events", status, s -> s.value(ProjectionStatus::parkedEvents))
                .description("Events of user streams parked for an operator")
                .register(registry);
    }
}
