package dev.admit.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.IdpLinkAdded;
import dev.admit.domain.message.IdpLinkRemoved;
import dev.admit.domain.message.InviteCodeSent;
import dev.admit.domain.message.PasskeyAdded;
import dev.admit.domain.message.PasskeyRemoved;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.UserEvent;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import dev.admit.projection.UserView.AuthenticationMethod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The users table's SQL against a real PostgreSQL. */
class UserRowsTest {

    private static final UserId USER = new UserId("1001");
    private static final OrgId ORG = new OrgId("org-1");
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00.123456Z");

    @RegisterExtension
    static final MigratedPostgres postgres = new MigratedPostgres();

    private UserRows rows;

    @BeforeEach
    void emptyTable() {
        rows = new UserRows(postgres.jdbc(), MigratedPostgres.TABLES);
        rows.deleteAll();
    }

    private static HumanUserAdded added() {
        return new HumanUserAdded(USER, ORG, "ada", "Ada", "Lovelace", null, "en", "ada@example.com");
    }

    @Test
    void a_new_user_gets_a_row_at_sequence_1_with_its_creation_date() {
        rows.apply(USER.value(), 1, T0, added());

        UserView view = rows.find(USER).orElseThrow();
        assertThat(view.username()).isEqualTo("ada");
        assertThat(view.emailVerified()).isFalse();
        assertThat(view.state()).isEqualTo(UserView.UserState.ACTIVE);
        assertThat(view.creationDate()).isEqualTo(T0);
        assertThat(view.details()).isEqualTo(new ReadDetails(1, T0, ORG));
    }

    @Test
    void every_event_moves_the_sequence_and_change_date() {
        rows.apply(USER.value(), 1, T0, added());
        rows.apply(USER.value(), 2, T0.plusSeconds(5), new InviteCodeSent());

        assertThat(rows.find(USER).orElseThrow().details()).isEqualTo(new ReadDetails(2, T0.plusSeconds(5), ORG));
    }

    @Test
    void email_verified_marks_the_email() {
        rows.apply(USER.value(), 1, T0, added());
        rows.apply(USER.value(), 2, T0.plusSeconds(1), new EmailVerified());

        assertThat(rows.find(USER).orElseThrow().emailVerified()).isTrue();
    }

    @Test
    void an_event_applied_again_or_out_of_date_changes_nothing() {
        rows.apply(USER.value(), 1, T0, added());
        rows.apply(USER.value(), 2, T0.plusSeconds(2), new InviteCodeSent());
        rows.apply(USER.value(), 2, T0.plusSeconds(9), new EmailVerified());
        rows.apply(USER.value(), 1, T0.plusSeconds(9), added());

        UserView view = rows.find(USER).orElseThrow();
        assertThat(view.emailVerified()).isFalse();
        assertThat(view.details()).isEqualTo(new ReadDetails(2, T0.plusSeconds(2), ORG));
    }

    @Test
    void an_event_for_a_user_the_table_does_not_hold_is_not_applied_and_names_the_user_to_catch_up() {
        assertThat(rows.apply(USER.value(), 3, T0, new EmailVerified())).containsExactly(USER.value());
        assertThat(rows.find(USER)).isEmpty();
    }

    @Test
    void an_event_after_a_missing_one_leaves_the_row_where_it_was_and_names_the_user_to_catch_up() {
        rows.apply(USER.value(), 1, T0, added());

        assertThat(rows.apply(USER.value(), 3, T0.plusSeconds(3), new EmailVerified()))
                .containsExactly(USER.value());

        UserView view = rows.find(USER).orElseThrow();
        assertThat(view.emailVerified()).isFalse();
        assertThat(view.details()).isEqualTo(new ReadDetails(1, T0, ORG));
    }

    @Test
    void a_batch_whose_events_of_a_user_skip_a_position_leaves_that_user_out_and_names_them() {
        UserId other = new UserId("1002");
        rows.apply(
                other.value(), 1, T0, new HumanUserAdded(other, ORG, "bob", "Bob", "B", null, "en", "b@example.com"));
        UserRows.Changes batch = new UserRows.Changes();
        batch.add(USER.value(), 1, T0, added());
        batch.add(USER.value(), 3, T0.plusSeconds(2), new EmailVerified());
        batch.add(other.value(), 2, T0.plusSeconds(4), new EmailVerified());

        assertThat(rows.applyAll(batch)).containsExactly(USER.value());

        assertThat(rows.find(USER)).as("left for the stream's catch-up").isEmpty();
        assertThat(rows.find(other).orElseThrow().details()).isEqualTo(new ReadDetails(2, T0.plusSeconds(4), ORG));
    }

    @Test
    void a_batch_folds_each_users_events_into_one_change() {
        UserRows.Changes batch = new UserRows.Changes();
        batch.add(USER.value(), 1, T0, added());
        batch.add(USER.value(), 2, T0.plusSeconds(1), new InviteCodeSent());
        batch.add(USER.value(), 3, T0.plusSeconds(2), new EmailVerified());
        batch.add(USER.value(), 4, T0.plusSeconds(3), new InviteCodeSent());
        rows.applyAll(batch);

        UserView view = rows.find(USER).orElseThrow();
        assertThat(view.emailVerified()).isTrue();
        assertThat(view.details()).isEqualTo(new ReadDetails(4, T0.plusSeconds(3), ORG));
    }

    @Test
    void a_new_users_row_held_back_takes_the_users_later_events_and_is_written_once_with_them() {
        UserId older = new UserId("1002");
        UserRows.Changes held = new UserRows.Changes();
        held.startBatch(7);
        held.add(
                older.value(), 1, T0, new HumanUserAdded(older, ORG, "bob", "Bob", "B", null, "en", "bob@example.com"));
        held.startBatch(8);
        held.add(USER.value(), 1, T0, added());

        UserRows.Changes first = held.takeAllButNewestRows(1);
        rows.applyAll(first);
        assertThat(rows.find(older)).as("the older row, written").isPresent();
        assertThat(rows.find(USER)).as("the newest row, held back").isEmpty();
        assertThat(held.oldestHeldBatch()).isEqualTo(8);

        held.add(older.value(), 2, T0.plusSeconds(1), new EmailVerified());
        held.add(USER.value(), 2, T0.plusSeconds(2), new EmailVerified());
        UserRows.Changes rest = held.takeAllButNewestRows(0);
        assertThat(held.oldestHeldBatch()).isEqualTo(Long.MAX_VALUE);
        assertThat(rows.applyAll(rest)).isEmpty();

        assertThat(rows.find(USER).orElseThrow().details()).isEqualTo(new ReadDetails(2, T0.plusSeconds(2), ORG));
        assertThat(rows.find(USER).orElseThrow().emailVerified()).isTrue();
        assertThat(rows.find(USER).orElseThrow().creationDate()).isEqualTo(T0);
        assertThat(rows.find(older).orElseThrow().details()).isEqualTo(new ReadDetails(2, T0.plusSeconds(1), ORG));
        assertThat(rows.find(older).orElseThrow().emailVerified()).isTrue();
    }

    @Test
    void a_batch_overlapping_what_the_row_already_holds_changes_only_what_is_new() {
        rows.apply(USER.value(), 1, T0, added());
        rows.apply(USER.value(), 2, T0.plusSeconds(1), new InviteCodeSent());
        UserRows.Changes batch = new UserRows.Changes();
        batch.add(USER.value(), 2, T0.plusSeconds(1), new InviteCodeSent());
        batch.add(USER.value(), 3, T0.plusSeconds(2), new InviteCodeSent());
        rows.applyAll(batch);
        rows.applyAll(batch);

        assertThat(rows.find(USER).orElseThrow().details()).isEqualTo(new ReadDetails(3, T0.plusSeconds(2), ORG));
    }

    @Test
    void a_batch_for_a_user_the_table_does_not_hold_is_not_applied_and_names_the_user() {
        UserRows.Changes batch = new UserRows.Changes();
        batch.add(USER.value(), 3, T0, new EmailVerified());
        assertThat(rows.applyAll(batch)).containsExactly(USER.value());
        assertThat(rows.find(USER)).isEmpty();
    }

    @Test
    void an_operator_skip_moves_the_row_past_one_event_only_from_right_before_it() {
        rows.apply(USER.value(), 1, T0, added());

        assertThat(rows.skip(USER.value(), 3)).isFalse();
        assertThat(rows.skip(USER.value(), 2)).isTrue();

        assertThat(rows.find(USER).orElseThrow().details()).isEqualTo(new ReadDetails(2, T0, ORG));
    }

    // --- authentication methods

    @Test
    void a_new_user_has_no_password_and_no_methods() {
        rows.apply(USER.value(), 1, T0, added());

        UserView view = rows.find(USER).orElseThrow();
        assertThat(view.passwordChanged()).isNull();
        assertThat(view.passwordChangeRequired()).isFalse();
        assertThat(view.authenticationMethods()).isEmpty();
    }

    @Test
    void the_last_password_change_sets_the_time_and_the_flag() {
        rows.apply(USER.value(), 1, T0, added());
        rows.apply(USER.value(), 2, T0.plusSeconds(1), new PasswordChanged("$argon2id$stub-1", true));

        UserView first = rows.find(USER).orElseThrow();
        assertThat(first.passwordChanged()).isEqualTo(T0.plusSeconds(1));
        assertThat(first.passwordChangeRequired()).isTrue();
        assertThat(first.authenticationMethods()).containsExactly(AuthenticationMethod.PASSWORD);

        rows.apply(USER.value(), 3, T0.plusSeconds(2), new InviteCodeSent());
        UserRows.Changes batch = new UserRows.Changes();
        batch.add(USER.value(), 4, T0.plusSeconds(3), new PasswordChanged("$argon2id$stub-2", true));
        batch.add(USER.value(), 5, T0.plusSeconds(4), new PasswordChanged("$argon2id$stub-3", false));
        batch.add(USER.value(), 6, T0.plusSeconds(5), new InviteCodeSent());
        rows.applyAll(batch);

        UserView later = rows.find(USER).orElseThrow();
        assertThat(later.passwordChanged()).isEqualTo(T0.plusSeconds(4));
        assertThat(later.passwordChangeRequired()).isFalse();
        assertThat(later.details()).isEqualTo(new ReadDetails(6, T0.plusSeconds(5), ORG));
    }

    @Test
    void passkeys_and_idp_links_count_while_one_of_them_is_left() {
        rows.apply(USER.value(), 1, T0, added());
        rows.apply(USER.value(), 2, T0, new PasskeyAdded("p1"));
        rows.apply(USER.value(), 3, T0, new PasskeyAdded("p2"));
        rows.apply(USER.value(), 4, T0, new IdpLinkAdded("ab", "c", "Ada"));
        rows.apply(USER.value(), 5, T0, new IdpLinkAdded("a", "bc", "Ada"));
        assertThat(rows.find(USER).orElseThrow().authenticationMethods())
                .containsExactly(AuthenticationMethod.PASSKEY, AuthenticationMethod.IDP);

        rows.apply(USER.value(), 6, T0, new PasskeyRemoved("p1"));
        rows.apply(USER.value(), 7, T0, new IdpLinkRemoved("ab", "c"));
        assertThat(rows.find(USER).orElseThrow().authenticationMethods())
                .as("p2 and the link (a, bc) are left")
                .containsExactly(AuthenticationMethod.PASSKEY, AuthenticationMethod.IDP);

        rows.apply(USER.value(), 8, T0, new PasskeyRemoved("p2"));
        rows.apply(USER.value(), 9, T0, new IdpLinkRemoved("a", "bc"));
        assertThat(rows.find(USER).orElseThrow().authenticationMethods()).isEmpty();
    }

    @Test
    void within_a_batch_the_last_event_of_a_passkey_decides() {
        rows.apply(USER.value(), 1, T0, added());
        rows.apply(USER.value(), 2, T0, new PasskeyAdded("p1"));
        UserRows.Changes batch = new UserRows.Changes();
        batch.add(USER.value(), 3, T0, new PasskeyRemoved("p1"));
        batch.add(USER.value(), 4, T0, new PasskeyAdded("p2"));
        batch.add(USER.value(), 5, T0, new PasskeyRemoved("p2"));
        batch.add(USER.value(), 6, T0, new PasskeyAdded("p1"));
        batch.add(USER.value(), 7, T0, new PasskeyRemoved("p1"));
        rows.applyAll(batch);
        rows.applyAll(batch);

        assertThat(rows.find(USER).orElseThrow().authenticationMethods()).isEmpty();
        assertThat(rows.find(USER).orElseThrow().details().sequence()).isEqualTo(7);
    }

    @Test
    void a_batch_applied_again_over_part_of_it_changes_no_method() {
        rows.apply(USER.value(), 1, T0, added());
        rows.apply(USER.value(), 2, T0, new PasskeyAdded("p1"));
        UserRows.Changes batch = new UserRows.Changes();
        batch.add(USER.value(), 2, T0, new PasskeyAdded("p1"));
        batch.add(USER.value(), 3, T0, new PasskeyAdded("p2"));
        batch.add(USER.value(), 4, T0, new PasskeyRemoved("p1"));
        rows.applyAll(batch);
        rows.applyAll(batch);

        assertThat(methodColumns(USER)).containsEntry("passkeys", List.of("p2"));
    }

    /**
     * A rebuild folds a user's whole history into one insert, the live projection applies it event by event; both
     * must write the same row, arrays in the same order, whatever order the events came in.
     */
    @Test
    void one_insert_of_a_whole_history_writes_the_row_that_event_by_event_updates_write() {
        UserId live = new UserId("2001");
        UserId rebuilt = new UserId("2002");
        List<UserEvent> history = List.of(
                new PasskeyAdded("zeta"),
                new PasskeyAdded("Alpha"),
                new PasskeyAdded("\"quoted\" {and, braces}"),
                new IdpLinkAdded("idp-2", "x", "Ada"),
                new IdpLinkAdded("idp-1", "\u00e9t\u00e9", "Ada"),
                new PasswordChanged("$argon2id$stub", true),
                new PasskeyRemoved("zeta"),
                new PasskeyAdded("beta"),
                new IdpLinkRemoved("idp-2", "x"),
                new IdpLinkAdded("idp-2", "y", "Ada"));

        rows.apply(live.value(), 1, T0, addedAs(live));
        UserRows.Changes whole = new UserRows.Changes();
        whole.add(rebuilt.value(), 1, T0, addedAs(rebuilt));
        for (int i = 0; i < history.size(); i++) {
            Instant at = T0.plusSeconds(i + 1);
            rows.apply(live.value(), i + 2, at, history.get(i));
            whole.add(rebuilt.value(), i + 2, at, history.get(i));
        }
        rows.applyAll(whole);

        Map<String, Object> liveRow = methodColumns(live);
        assertThat(liveRow).isEqualTo(methodColumns(rebuilt));
        assertThat(liveRow)
                .containsEntry("passkeys", List.of("\"quoted\" {and, braces}", "Alpha", "beta"))
                .containsEntry("idp_links", List.of("5:idp-1\u00e9t\u00e9", "5:idp-2y"))
                .containsEntry("password_change_required", true);
    }

    private static HumanUserAdded addedAs(UserId user) {
        return new HumanUserAdded(user, ORG, "u" + user.value(), "Ada", "Lovelace", null, "en", "ada@example.com");
    }

    /** The row's method columns as stored, arrays as lists. */
    private Map<String, Object> methodColumns(UserId user) {
        return postgres.jdbc()
                .queryForObject(
                        "SELECT password_changed, password_change_required, passkeys, idp_links, sequence, change_date"
                                + " FROM admit.users WHERE user_id = ?",
                        (rs, row) -> {
                            Map<String, Object> columns = new java.util.LinkedHashMap<>();
                            columns.put("password_changed", rs.getTimestamp(1));
                            columns.put("password_change_required", rs.getBoolean(2));
                            columns.put("passkeys", List.of((String[])
                                    rs.getArray(3).getArray()));
                            columns.put("idp_links", List.of((String[])
                                    rs.getArray(4).getArray()));
                            columns.put("sequence", rs.getLong(5));
                            columns.put("change_date", rs.getTimestamp(6));
                            return columns;
                        },
                        user.value());
    }

    @Test
    void new_rows_copied_into_an_empty_table_equal_the_rows_the_insert_writes() {
        UserRows.Changes changes = new UserRows.Changes();
        UserId odd = new UserId("1002");
        changes.add(USER.value(), 1, T0, added());
        changes.add(USER.value(), 2, T0.plusSeconds(1), new EmailVerified());
        changes.add(
                USER.value(),
                3,
                T0.plusSeconds(2),
                new PasswordChanged("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", true));
        changes.add(USER.value(), 4, T0.plusSeconds(3), new PasskeyAdded("key \"one\" \\ back"));
        changes.add(USER.value(), 5, T0.plusSeconds(4), new PasskeyAdded("\uFFFD-after"));
        changes.add(USER.value(), 6, T0.plusSeconds(5), new PasskeyAdded("\uD83D\uDE00-emoji"));
        changes.add(USER.value(), 7, T0.plusSeconds(6), new IdpLinkAdded("idp", "ext\tern\nal", "Name"));
        changes.add(
                odd.value(),
                1,
                T0.plusMillis(1),
                new HumanUserAdded(
                        odd, ORG, "tab\tname", "Line\nbreak", "Back\\slash\r", "\\N", null, "odd@example.com"));
        UserId early = new UserId("1003");
        Instant beforePostgresEpoch = Instant.parse("1999-12-31T23:59:59.999Z");
        changes.add(
                early.value(),
                1,
                beforePostgresEpoch,
                new HumanUserAdded(early, ORG, "early", "Jos\u00e9", "\u00c5ngstr\u00f6m", "", "de", "e@example.com"));
        changes.add(early.value(), 2, beforePostgresEpoch.plusMillis(2), new PasskeyAdded(""));
        postgres.jdbc().execute(MigratedPostgres.TABLES.sql("DROP TABLE IF EXISTS {users_copied}"));
        postgres.jdbc()
                .execute(MigratedPostgres.TABLES.sql("CREATE TABLE {users_copied} (LIKE {users} INCLUDING ALL)"));
        UserRows copied = new UserRows(postgres.jdbc(), MigratedPostgres.TABLES, "users_copied");

        assertThat(rows.applyAll(changes)).isEmpty();
        assertThat(copied.applyAllCopyingNewRows(changes)).isEmpty();

        String select = "SELECT * FROM %s ORDER BY user_id";
        List<Map<String, Object>> inserted =
                postgres.jdbc().queryForList(select.formatted(MigratedPostgres.TABLES.table("users")));
        List<Map<String, Object>> viaCopy =
                postgres.jdbc().queryForList(select.formatted(MigratedPostgres.TABLES.table("users_copied")));
        assertThat(inserted).hasSize(3);
        assertThat(viaCopy).hasSize(3);
        for (int i = 0; i < inserted.size(); i++) {
            for (String column : inserted.get(i).keySet()) {
                Object expected = inserted.get(i).get(column);
                Object actual = viaCopy.get(i).get(column);
                if (expected instanceof java.sql.Array array) {
                    try {
                        expected = List.of((Object[]) array.getArray());
                        actual = List.of((Object[]) ((java.sql.Array) actual).getArray());
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
                assertThat(actual).as("row %d, %s", i, column).isEqualTo(expected);
            }
        }
    }
}
