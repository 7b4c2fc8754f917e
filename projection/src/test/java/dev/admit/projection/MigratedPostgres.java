package dev.admit.projection;

import dev.admit.store.AdmitTables;
import dev.admit.test.ThrowawayPostgres;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The test kit's throwaway PostgreSQL with Admit's tables, emptied before each test class
 * ({@code @RegisterExtension static final MigratedPostgres postgres = new MigratedPostgres();}).
 */
final class MigratedPostgres implements BeforeAllCallback {

    static final AdmitTables TABLES = AdmitTables.inDefaultSchema();

    private JdbcTemplate jdbc;

    @Override
    public void beforeAll(ExtensionContext context) {
        jdbc = new JdbcTemplate(ThrowawayPostgres.migrated());
        ThrowawayPostgres.clean();
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }
}
