package dev.admit.service;

import dev.admit.service.cli.AdmitCommandLine;
import dev.admit.service.launch.ServiceJvm;
import dev.admit.store.AdmitTransactionManager;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;

/** The runnable service: Admit on its embedded PostgreSQL unless {@code spring.datasource.url} names another. */
@SpringBootApplication
public class AdmitApplication {

    /**
     * Settings of the standalone service (an embedding application keeps its own): the API on port 8080, metrics
     * and health on the management port (9090), Admit
     * migrates its own schema, the process stays up while the server runs, a caller waits at most 5 s for a database
     * connection (then 503), JDBC batches go as multi-row inserts, the embedded database's chatter stays out of the
     * log, and exceptions are logged as class names only.
     */
    public static final java.util.Map<String, Object> SERVICE_DEFAULTS = java.util.Map.ofEntries(
            java.util.Map.entry("admit.server.port", "8080"),
            java.util.Map.entry("admit.management.enabled", "true"),
            java.util.Map.entry("spring.flyway.enabled", "false"),
            java.util.Map.entry("spring.datasource.hikari.connection-timeout", "5000"),
            java.util.Map.entry("spring.datasource.hikari.data-source-properties.reWriteBatchedInserts", "true"),
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

    /**
     * Armeria settings of the standalone service, unless given as system properties (operations.md). A JSON route
     * carries the user id in its path, so to Armeria's path caches (the routes, the route decorators and the parsed
     * request targets) every call is a new key: never a hit, but an insert and a clean-up task woken on the common
     * pool per request.
     */
    static final java.util.Map<String, String> ARMERIA_FLAGS = java.util.Map.of(
            "com.linecorp.armeria.routeCacheSpec", "off",
            "com.linecorp.armeria.routeDecoratorCacheSpec", "off",
            "com.linecorp.armeria.parsedPathCacheSpec", "off");

    /** Sets each of {@link #ARMERIA_FLAGS} that the given system properties do not set already. */
    static void preferArmeriaFlags(java.util.Properties systemProperties) {
        ARMERIA_FLAGS.forEach(systemProperties::putIfAbsent);
    }

    /** Spring's JDBC transaction manager, quiet about rollbacks on connections that broke (see its javadoc). */
    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new AdmitTransactionManager(dataSource);
    }

    /**
     * The jar's entry point: the command line ({@code serve} unless another command is named). Serving from the jar
     * with no heap setting of the operator's runs within {@link ServiceJvm}.
     */
    public static void main(String[] args) throws InterruptedException {
        if ("serve".equals(AdmitCommandLine.withDefaultCommand(args)[0])) {
            OptionalInt status = ServiceJvm.runWithinBudget(args);
            if (status.isPresent()) {
                System.exit(status.getAsInt());
            }
        }
        int status = AdmitCommandLine.run(args);
        if (status >= 0) {
            System.exit(status);
        }
    }

    /** Starts the service; it runs until the process is stopped. */
    public static void serve(String[] args) {
        // before anything loads Armeria: its flags are read once
        preferArmeriaFlags(System.getProperties());
        SpringApplication application = new SpringApplication(AdmitApplication.class);
        // the service owns its schema through Admit's own migrations (see AdmitSchema)
        application.setDefaultProperties(SERVICE_DEFAULTS);
        application.run(args);
    }
}
