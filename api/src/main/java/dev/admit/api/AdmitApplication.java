package dev.admit.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The runnable service: Admit on its embedded PostgreSQL unless {@code spring.datasource.url} names another. */
@SpringBootApplication
public class AdmitApplication {

    /**
     * Settings of the standalone service (an embedding application keeps its own): Admit migrates its own schema,
     * the process stays up while the server runs, the embedded database's chatter stays out of
     * the log, and exceptions are logged as class names only.
     */
    static final java.util.Map<String, Object> SERVICE_DEFAULTS = java.util.Map.ofEntries(
            java.util.Map.entry("spring.flyway.enabled", "false"),
            java.util.Map.entry("logging.config", "classpath:admit-logback.xml"),
            java.util.Map.entry("spring.main.keep-alive", "true"),
            java.util.Map.entry("spring.main.banner-mode", "off"),
            java.util.Map.entry("spring.main.log-startup-info", "false"),
            java.util.Map.entry("logging.level.io.zonky.test.db.postgres", "WARN"),
            java.util.Map.entry("logging.level.org.axonframework", "WARN"),
            java.util.Map.entry("logging.level.org.flywaydb", "WARN"),
            java.util.Map.entry("logging.level.com.zaxxer.hikari", "WARN"),
            java.util.Map.entry("logging.level.com.linecorp.armeria", "WARN"),
            java.util.Map.entry("logging.level.org.springframework.core.annotation", "ERROR"));

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(AdmitApplication.class);
        // the service owns its schema through Admit's own migrations (see AdmitSchema)
        application.setDefaultProperties(SERVICE_DEFAULTS);
        application.run(args);
    }
}
