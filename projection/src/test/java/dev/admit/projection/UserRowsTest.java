package dev.admit.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void an_event_for_a_user_the_table_does_not_hold_fails_instead_of_being_skipped() {
        assertThatThrownBy(() -> rows.apply(USER.value(), 3, T0, new EmailVerified()))
                .isInstanceOf(IllegalStateException.class);
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
    void a_batch_for_a_user_the_table_does_not_hold_fails_instead_of_being_skipped() {
        UserRows.Changes batch = new UserRows.Changes();
        batch.add(USER.value(), 3, T0, new EmailVerified());
        assertThatThrownBy(() -> rows.applyAll(batch)).isInstanceOf(IllegalStateException.class);
    }
}
