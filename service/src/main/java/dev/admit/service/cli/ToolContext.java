package dev.admit.service.cli;

import dev.admit.embedded.LockedEmbeddedPostgres;
import dev.admit.service.AdmitApplication;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The service's application context for a command other than {@code serve}: the same configuration, with the API
 * server, the management port, the mail dispatcher and the users projection's processor off, and logs on standard
 * error. With the embedded database, a cluster a running service holds is used where it runs; otherwise the command
 * starts it and stops it again.
 */
final class ToolContext implements AutoCloseable {

    /** Parts of a serving node that a command must never start, whatever the configuration says. */
    private static final Map<String, Object> OFF = Map.of(
            "admit.server.enabled", "false",
            "admit.management.enabled", "false",
            "admit.mail.enabled", "false",
            "admit.projection.enabled", "false",
            "spring.main.keep-alive", "false");

    private final ConfigurableApplicationContext context;

    private ToolContext(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static ToolContext start(List<String> springArguments) throws IOException {
        String[] arguments = springArguments.toArray(String[]::new);
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(arguments));
        Map<String, Object> overrides = new HashMap<>(OFF);
        if (environment.getProperty("spring.datasource.url", "").isEmpty()) {
            Path home =
                    Path.of(environment.getProperty("admit.data-dir", "data")).toAbsolutePath();
            LockedEmbeddedPostgres.running(home).ifPresent(running -> {
                overrides.put("spring.datasource.url", running.jdbcUrl());
                overrides.put("spring.datasource.username", running.username());
                overrides.put("spring.datasource.password", running.password());
                // the serving node's own cluster: the key it generated under the data directory is the right one
                overrides.put("admit.crypto.allow-generated-keys", "true");
                // and no other instance shares it: the warning about generated keys on a shared database is not
                // this command's to give (it would stand before the command's own output on every run)
                overrides.put("logging.level.dev.admit.spring.boot.AdmitAutoConfiguration", "ERROR");
            });
        }
        environment.getPropertySources().addFirst(new MapPropertySource("admit-command-line", overrides));

        SpringApplication application = new SpringApplication(AdmitApplication.class);
        Map<String, Object> defaults = new HashMap<>(AdmitApplication.SERVICE_DEFAULTS);
        defaults.put("logging.config", "classpath:admit-logback-cli.xml");
        application.setDefaultProperties(defaults);
        application.setEnvironment(environment);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setRegisterShutdownHook(true);
        return new ToolContext(application.run(arguments));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    @Override
    public void close() {
        context.close();
    }
}
