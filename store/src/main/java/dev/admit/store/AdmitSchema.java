package dev.admit.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admit's tables, migrated by Flyway from {@code db/admit/<module>} into Admit's own schema with a history table of
 * their own there, so a host's migrations and its Flyway history never see them.
 *
 * <p>Databases written by Admit 0.1 before it had a schema of its own hold its tables in {@code public}: they are
 * moved into Admit's schema, in one transaction, before migrating.
 */
public class AdmitSchema {

    public static final String HISTORY_TABLE = "admit_schema_history";

    private static final Logger log = LoggerFactory.getLogger(AdmitSchema.class);

    /** The tables (and the sequence) Admit 0.1 created in {@code public}. */
    private static final List<String> EARLIER_TABLES = List.of(
            "domain_event_entry",
            "snapshot_event_entry",
            "token_entry",
            "username_claim",
            "users",
            "invite_mail_outbox",
            HISTORY_TABLE);

    private final DataSource dataSource;
    private final AdmitTables tables;

    public AdmitSchema(DataSource dataSource, AdmitTables tables) {
        this.dataSource = dataSource;
        this.tables = tables;
    }

    public void migrate() {
        moveEarlierLayout();
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(tables.schema())
                .defaultSchema(tables.schema())
                .createSchemas(true)
                .locations("classpath:db/admit")
                .table(HISTORY_TABLE)
                .load()
                .migrate();
    }

    private void moveEarlierLayout() {
        try (Connection connection = dataSource.getConnection()) {
            if (!tableExists(connection, "public", HISTORY_TABLE)
                    || tableExists(connection, tables.schema(), HISTORY_TABLE)) {
                return;
            }
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + tables.schema());
                for (String table : EARLIER_TABLES) {
                    if (tableExists(connection, "public", table)) {
                        statement.execute("ALTER TABLE public." + table + " SET SCHEMA " + tables.schema());
                    }
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            log.info("Moved Admit's tables from schema public into schema {}", tables.schema());
        } catch (SQLException e) {
            throw new IllegalStateException("Admit's tables could not be moved into schema " + tables.schema(), e);
        }
    }

    private static boolean tableExists(Connection connection, String schema, String table) throws SQLException {
        try (var query = connection.prepareStatement(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            query.setString(1, schema);
            query.setString(2, table);
            try (ResultSet found = query.executeQuery()) {
                return found.next();
            }
        }
    }
}
