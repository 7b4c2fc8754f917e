package dev.admit.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.IdpLinkAdded;
import dev.admit.domain.message.IdpLinkRemoved;
import dev.admit.domain.message.InviteCodeSent;
import dev.admit.domain.message.PasskeyAdded;
import dev.admit.domain.message.PasskeyRemoved;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.UserEvent;
import dev.admit.domain.serialization.EventTypes;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import dev.admit.store.AdmitTables;
import dev.admit.test.ThrowawayPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The migration that adds the method columns folds them, for rows written before it, from the events those rows had
 * applied: the same values the projection writes for the same events.
 */
class AuthenticationMethodsMigrationTest {

    private static final String SCHEMA = "admit_methods_upgrade";
    private static final OrgId ORG = new OrgId("org-1");
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00.123Z");

    private final DataSource dataSource = ThrowawayPostgres.dataSource();
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);

    private Flyway flyway(String target) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/admit")
                .table("admit_schema_history")
                .target(target)
                .load();
    }

    private static final List<UserEvent> HISTORY = List.of(
            new PasskeyAdded("zeta"),
            new PasswordChanged("$argon2id$stub-1", false),
            new IdpLinkAdded("idp-1", "é", "Ada"),
            new PasskeyAdded("Alpha"),
            new IdpLinkAdded("idp-2", "x", "Ada"),
            new PasskeyRemoved("zeta"),
            new PasswordChanged("$argon2id$stub-2", true),
            new IdpLinkRemoved("idp-2", "x"),
            new InviteCodeSent(),
            // not applied by the row written before the migration: left to the projection
            new PasskeyRemoved("Alpha"),
            new PasswordChanged("$argon2id$stub-3", false));

    /** Events the pre-migration row had applied, after its human.added. */
    private static final int APPLIED = 9;

    @Test
    void rows_written_before_get_the_methods_of_the_events_they_had_applied() {
        jdbc.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        flyway("2026.12.07.3").migrate();
        UserId old = new UserId("old-" + UUID.randomUUID());
        UserId plain = new UserId("plain-" + UUID.randomUUID());
        storeEvent(old, 0, T0, added(old));
        for (int i = 0; i < HISTORY.size(); i++) {
            storeEvent(old, i + 1, T0.plusSeconds(i + 1), HISTORY.get(i));
        }
        storeEvent(plain, 0, T0, added(plain));
        insertOldRow(old, 1 + APPLIED, T0.plusSeconds(APPLIED));
        insertOldRow(plain, 1, T0);

        flyway("latest").migrate();

        UserRows rows = new UserRows(jdbc, new AdmitTables(SCHEMA));
        UserId folded = new UserId("folded-" + UUID.randomUUID());
        rows.apply(folded.value(), 1, T0, added(folded));
        for (int i = 0; i < APPLIED; i++) {
            rows.apply(folded.value(), i + 2, T0.plusSeconds(i + 1), HISTORY.get(i));
        }
        Map<String, Object> migrated = methodColumns(old);
        assertThat(migrated).isEqualTo(methodColumns(folded));
        assertThat(migrated)
                .containsEntry("password_changed", java.sql.Timestamp.from(T0.plusSeconds(7)))
                .containsEntry("password_change_required", true)
                .containsEntry("passkeys", List.of("Alpha"))
                .containsEntry("idp_links", List.of("5:idp-1é"));
        assertThat(methodColumns(plain))
                .containsEntry("password_changed", null)
                .containsEntry("password_change_required", false)
                .containsEntry("passkeys", List.of())
                .containsEntry("idp_links", List.of());

        // the row goes on from there with the events it had not applied
        for (int i = APPLIED; i < HISTORY.size(); i++) {
            rows.apply(old.value(), i + 2, T0.plusSeconds(i + 1), HISTORY.get(i));
        }
        UserView view = rows.find(old).orElseThrow();
        assertThat(view.authenticationMethods())
                .containsExactly(UserView.AuthenticationMethod.PASSWORD, UserView.AuthenticationMethod.IDP);
        assertThat(view.passwordChangeRequired()).isFalse();
    }

    private static HumanUserAdded added(UserId user) {
        return new HumanUserAdded(user, ORG, "u-" + user.value(), "Ada", "Lovelace", null, "en", "ada@example.com");
    }

    private void storeEvent(UserId user, long sequenceNumber, Instant at, UserEvent event) {
        String json;
        try {
            json = new com.fasterxml.jackson.databind.ObjectMapper()
                    .findAndRegisterModules()
                    .writeValueAsString(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        jdbc.update(
                "INSERT INTO " + SCHEMA
                        + ".domain_event_entry (event_identifier, payload, payload_revision, payload_type,"
                        + " time_stamp, aggregate_identifier, sequence_number, type) VALUES (?, ?, '1', ?, ?, ?, ?, 'user')",
                UUID.randomUUID().toString(),
                json.getBytes(StandardCharsets.UTF_8),
                EventTypes.nameOf(event.getClass()).orElseThrow(),
                at.toString(),
                user.value(),
                sequenceNumber);
    }

    /** A row as the projection wrote it before the migration: no method columns yet. */
    private void insertOldRow(UserId user, long sequence, Instant changeDate) {
        jdbc.update(
                "INSERT INTO " + SCHEMA + ".users (user_id, org_id, username, given_name, family_name, email,"
                        + " email_verified, state, creation_date, sequence, change_date)"
                        + " VALUES (?, ?, ?, 'Ada', 'Lovelace', 'ada@example.com', FALSE, 'ACTIVE', ?, ?, ?)",
                user.value(),
                ORG.value(),
                "u-" + user.value(),
                java.sql.Timestamp.from(T0),
                sequence,
                java.sql.Timestamp.from(changeDate));
    }

    private Map<String, Object> methodColumns(UserId user) {
        return jdbc.queryForObject(
                "SELECT password_changed, password_change_required, passkeys, idp_links FROM " + SCHEMA
                        + ".users WHERE user_id = ?",
                (rs, row) -> {
                    Map<String, Object> columns = new LinkedHashMap<>();
                    columns.put("password_changed", rs.getTimestamp(1));
                    columns.put("password_change_required", rs.getBoolean(2));
                    columns.put("passkeys", List.of((String[]) rs.getArray(3).getArray()));
                    columns.put("idp_links", List.of((String[]) rs.getArray(4).getArray()));
                    return columns;
                },
                user.value());
    }
}
