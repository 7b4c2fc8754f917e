package dev.admit.api.persistence;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Admit's tables (event store, username claims, users projection), migrated by Flyway from {@code db/admit} with a
 * history table of its own, so they live beside a host application's own migrations without touching them.
 */
public class AdmitSchema {

    public static final String HISTORY_TABLE = "admit_schema_history";

    private final DataSource dataSource;

    public AdmitSchema(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/admit")
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
