package dev.admit.api.config;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Settings Admit needs from the frameworks it runs on, added with the lowest precedence so a host application can
 * still override them: no Axon Server (the event store is PostgreSQL), no phoning home, no unused XStream, no
 * per-handler timeout watchdog, a bounded wait for a database connection, and batched inserts sent as one statement.
 */
public class AdmitDefaults implements EnvironmentPostProcessor {

    static final Map<String, Object> DEFAULTS = Map.of(
            "axon.axonserver.enabled", "false",
            "axon.update-check.disabled", "true",
            // Admit's serializers are Jackson's (its own beans); left unset, Axon also builds an XStream instance
            // nobody uses, a fifth of a second of start-up
            "axon.serializer.general", "jackson",
            // Axon's watchdog formats a task name, captures the thread's stack and schedules a warning for every
            // handler call, every unit of work and every event applied while loading: a third of the service's CPU
            // per verification. What it guards here is JDBC I/O, which its thread interrupt does not stop
            "axon.timeout.enabled", "false",
            // with the database gone, callers get 503 after 5 s rather than after Hikari's default 30 s
            "spring.datasource.hikari.connection-timeout", "5000",
            // JDBC batches (event appends, projection writes) go as multi-row inserts: several times faster
            "spring.datasource.hikari.data-source-properties.reWriteBatchedInserts", "true");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("admitDefaults", DEFAULTS));
    }
}
