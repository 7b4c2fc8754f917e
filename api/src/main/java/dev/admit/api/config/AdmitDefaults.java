package dev.admit.api.config;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Settings Admit needs from the frameworks it runs on, added with the lowest precedence so a host application can
 * still override them: no Axon Server (the event store is PostgreSQL), no phoning home.
 */
public class AdmitDefaults implements EnvironmentPostProcessor {

    static final Map<String, Object> DEFAULTS = Map.of(
            "axon.axonserver.enabled", "false",
            "axon.update-check.disabled", "true");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("admitDefaults", DEFAULTS));
    }
}
