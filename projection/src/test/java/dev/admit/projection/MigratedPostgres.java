package dev.admit.projection;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An embedded PostgreSQL with the projection's tables migrated, started before a test class and stopped after it
 * ({@code @RegisterExtension static final MigratedPostgres postgres = new MigratedPostgres();}).
 */
final class MigratedPostgres implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedPostgres postgres;
    private JdbcTemplate jdbc;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
        Flyway.configure()
                .dataSource(postgres.getPostgresDatabase())
                .locations("classpath:db/admit")
                .table("admit_schema_history")
                .load()
                .migrate();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        postgres.close();
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }
}
