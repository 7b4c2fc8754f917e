package dev.admit.service.logging;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With {@code logging.structured.format.console} set (ecs, logstash or gelf), the service logs JSON lines through
 * Spring Boot's structured logging instead of its plain console format, still with exceptions as class names only
 * ({@link ExceptionClassesOnly}). A {@code logging.config} of the operator's own is left alone.
 */
public final class StructuredLogs implements EnvironmentPostProcessor {

    static final String PLAIN = "classpath:admit-logback.xml";
    static final String STRUCTURED = "classpath:admit-logback-structured.xml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty("logging.structured.format.console");
        if (format == null || format.isBlank() || !PLAIN.equals(environment.getProperty("logging.config"))) {
            return;
        }
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "admitStructuredLogs",
                        Map.of(
                                "logging.config",
                                STRUCTURED,
                                "logging.structured.json.customizer",
                                ExceptionClassesOnly.class.getName())));
    }
}
