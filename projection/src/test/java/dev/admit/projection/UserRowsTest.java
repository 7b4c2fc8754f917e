package dev.admit.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.InviteCodeSent;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import java.time.Instant;
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
}
