package dev.admit.test;

import dev.admit.store.AdmitSchema;
import dev.admit.store.AdmitTables;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL 17 for integration tests: the embedded one, started once per JVM and stopped when the JVM ends,
 * with Admit's stored data emptied before each test of a class that registers it:
 *
 * <pre>{@code
 * @ExtendWith(ThrowawayPostgres.class)
 * @SpringBootTest
 * class MyIntegrationTest {
 *     @DynamicPropertySource
 *     static void database(DynamicPropertyRegistry registry) {
 *         ThrowawayPostgres.springProperties().forEach((name, value) -> registry.add(name, () -> value));
 *     }
 * }
 * }</pre>
 *
 * <p>Emptying keeps the processors' positions and the event sequence, so an application context that stays up
 * between tests (Spring caches them) carries on undisturbed. Its tables live in Admit's default schema.
 */
public final class ThrowawayPostgres implements BeforeEachCallback {

    private static final AdmitTables TABLES = AdmitTables.inDefaultSchema();

    /** What a test's writes leave behind; the processors' tokens and Flyway's history stay. */
    private static final List<String> DATA_TABLES =
            List.of("domain_event_entry", "snapshot_event_entry", "username_claim", "users", "invite_mail_outbox");

    private static EmbeddedPostgres postgres;

    /** Spring Boot's shutdown hook and Spring's own, by their threads' names. */
    private static final Set<String> SPRING_SHUTDOWN_HOOKS =
            Set.of("SpringApplicationShutdownHook", "SpringContextShutdownHook");

    private static final Duration SPRING_SHUTDOWN_LIMIT = Duration.ofSeconds(60);
    private static final Duration SPRING_HOOK_START = Duration.ofMillis(200);

    @Override
    public void beforeEach(ExtensionContext context) {
        clean();
    }

    /** The running database, started on first use. */
    public static synchronized DataSource dataSource() {
        return running().getPostgresDatabase();
    }

    public static String jdbcUrl() {
        return running().getJdbcUrl("postgres", "postgres");
    }

    /** {@code spring.datasource.*} for this database: Admit then starts no database of its own. */
    public static Map<String, String> springProperties() {
        return Map.of(
                "spring.datasource.url", jdbcUrl(),
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "");
    }

    /** Admit's tables, created if need be, for tests that use the store without an application. */
    public static DataSource migrated() {
        DataSource dataSource = dataSource();
        new AdmitSchema(dataSource, TABLES).migrate();
        return dataSource;
    }

    /** Empties Admit's stored data (events, snapshots, claims, users, outbox), where its tables exist. */
    public static void clean() {
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            List<String> present = new ArrayList<>();
            for (String table : DATA_TABLES) {
                try (ResultSet found = statement.executeQuery("SELECT to_regclass('" + TABLES.table(table) + "')")) {
                    if (found.next() && found.getString(1) != null) {
                        present.add(TABLES.table(table));
                    }
                }
            }
            if (!present.isEmpty()) {
                statement.execute("TRUNCATE " + String.join(", ", present));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the throwaway PostgreSQL could not be emptied", e);
        }
    }

    /**
     * JVM shutdown hooks run side by side. Spring's, which close the test contexts cached for the run, would find the
     * database gone and wait out connection timeouts in every component that still talks to it while stopping; so the
     * database stays up until they are done (or a minute has passed).
     */
    private static void awaitSpringShutdownHooks() {
        long deadline = System.nanoTime() + SPRING_SHUTDOWN_LIMIT.toNanos();
        long lookUntil = System.nanoTime() + SPRING_HOOK_START.toNanos();
        try {
            List<Thread> hooks;
            // all hooks are started one after the other: Spring's may not be running yet when this one looks
            while ((hooks = springShutdownHooks()).isEmpty() && System.nanoTime() < lookUntil) {
                Thread.sleep(10);
            }
            for (Thread hook : hooks) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left > 0) {
                    hook.join(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Thread> springShutdownHooks() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> SPRING_SHUTDOWN_HOOKS.contains(thread.getName()))
                .toList();
    }

    private static synchronized EmbeddedPostgres running() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setRegisterShutdownHook(false)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("the throwaway PostgreSQL did not start", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                awaitSpringShutdownHooks();
                                try {
                                    started.close();
                                } catch (IOException e) {
                                    // the JVM is ending; the server's own shutdown is all that is left to try
                                }
                            },
                            "admit-test-postgres-stop"));
        }
        return postgres;
    }
}
