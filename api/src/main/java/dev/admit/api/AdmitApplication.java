package dev.admit.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The runnable service: Admit on its embedded PostgreSQL unless {@code spring.datasource.url} names another. */
@SpringBootApplication
public class AdmitApplication {

    /**
     * Settings of the standalone service (an embedding application keeps its own): Admit migrates its own schema,
     * the process stays up while the server runs, and the embedded database's chatter stays out of the log.
     */
    static final java.util.Map<String, Object> SERVICE_DEFAULTS = java.util.Map.of(
            "spring.flyway.enabled", "false",
            "spring.main.keep-alive", "true",
            "spring.main.banner-mode", "off",
            "logging.level.io.zonky.test.db.postgres", "WARN",
            "logging.level.org.axonframework", "WARN");

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(AdmitApplication.class);
        // the service owns its schema through Admit's own migrations (see AdmitSchema)
        application.setDefaultProperties(SERVICE_DEFAULTS);
        application.run(args);
    }
}
