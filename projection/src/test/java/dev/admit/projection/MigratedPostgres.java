package dev.admit.projection;

import dev.admit.store.AdmitSchema;
import dev.admit.store.AdmitTables;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An embedded PostgreSQL with the projection's tables migrated, started before a test class and stopped after it
 * ({@code @RegisterExtension static final MigratedPostgres postgres = new MigratedPostgres();}).
 */
final class MigratedPostgres implements BeforeAllCallback, AfterAllCallback {

    static final AdmitTables TABLES = AdmitTables.inDefaultSchema();

    private EmbeddedPostgres postgres;
    private JdbcTemplate jdbc;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
        new AdmitSchema(postgres.getPostgresDatabase(), TABLES).migrate();
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
