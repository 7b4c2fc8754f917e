package dev.admit.domain.user;

import static dev.admit.domain.user.UserFixture.T0;
import static dev.admit.domain.user.UserFixture.USER;
import static dev.admit.domain.user.UserFixture.details;
import static dev.admit.domain.user.UserFixture.userAdded;

import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.message.CheckPasswordCommand;
import dev.admit.domain.message.PasswordCheckFailed;
import dev.admit.domain.message.PasswordHashUpdated;
import dev.admit.domain.message.PasswordOutcome.Accepted;
import dev.admit.domain.message.PasswordOutcome.Rejected;
import dev.admit.domain.message.ReadPasswordHashCommand;
import dev.admit.domain.password.CheckedPassword;
import dev.admit.domain.password.PasswordHash;
import dev.admit.test.AdmitEvents;
import dev.admit.test.TestPasswords;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A password check made by the entry point, recorded by the aggregate; and the read of the stored hash it needs. */
class CheckPasswordTest {

    private static final String STORED = TestPasswords.GOOD;
    private static final PasswordHash STRONGER = TestPasswords.hashOf("stronger " + STORED);

    private final UserFixture users = new UserFixture();

    private static CheckPasswordCommand check(CheckedPassword checked, PasswordHash rehash) {
        return new CheckPasswordCommand(USER, OrgScope.any(), checked, rehash);
    }

    @Test
    void a_missing_user_is_not_found() {
        users.fixture
                .givenNoPriorActivity()
                .when(check(CheckedPassword.againstNothing(), null))
                .expectNoEvents()
                .expectExceptionMessage("User could not be found (COMMAND-Wgvn4)");
    }

    @Test
    void a_match_against_a_hash_as_strong_as_the_settings_records_nothing_and_answers_the_last_details() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), AdmitEvents.passwordChanged(STORED))
                .when(check(TestPasswords.checked(STORED, STORED), null))
                .expectNoEvents()
                .expectResultMessagePayload(new Accepted(details(2, T0)));
    }

    @Test
    void a_match_against_a_weaker_hash_re_encodes_it() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), AdmitEvents.passwordChanged(STORED))
                .when(check(TestPasswords.checked(STORED, STORED), STRONGER))
                .expectEvents(new PasswordHashUpdated(STRONGER.encoded()))
                .expectResultMessagePayload(new Accepted(details(3, T0)));
    }

    @Test
    void a_mismatch_is_recorded_and_answered_invalid() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), AdmitEvents.passwordChanged(STORED))
                .when(check(TestPasswords.checked(STORED, "guess"), null))
                .expectEvents(new PasswordCheckFailed())
                .expectResultMessagePayload(new Rejected(ErrorCatalogue.PASSWORD_INVALID, details(3, T0)));
    }

    @Test
    void a_user_without_a_password_has_nothing_to_check() {
        users.fixture
                .given(userAdded())
                .when(check(CheckedPassword.againstNothing(), null))
                .expectNoEvents()
                .expectExceptionMessage("User has no password (COMMAND-Fds3s)");
    }

    @Test
    void a_match_against_a_hash_replaced_since_re_encodes_nothing() {
        users.fixture
                .given(userAdded(), AdmitEvents.passwordChanged(STORED), AdmitEvents.passwordChanged("N3w-Secret!"))
                .when(check(TestPasswords.checked(STORED, STORED), STRONGER))
                .expectNoEvents()
                .expectExceptionMessage("Password was changed meanwhile; try again (ADMIT-Pw5cm)");
    }

    @Test
    void the_stored_hash_is_read_as_the_latest_event_left_it() {
        users.fixture
                .given(userAdded(), AdmitEvents.passwordChanged(STORED), new PasswordHashUpdated(STRONGER.encoded()))
                .when(new ReadPasswordHashCommand(USER, OrgScope.any()))
                .expectNoEvents()
                .expectResultMessagePayload(Optional.of(STRONGER));
    }

    @Test
    void a_user_without_a_password_reads_as_empty_and_a_missing_user_as_not_found() {
        users.fixture
                .given(userAdded())
                .when(new ReadPasswordHashCommand(USER, OrgScope.any()))
                .expectResultMessagePayload(Optional.empty());
        new UserFixture()
                .fixture
                .givenNoPriorActivity()
                .when(new ReadPasswordHashCommand(USER, OrgScope.any()))
                .expectExceptionMessage("User could not be found (COMMAND-Wgvn4)");
    }
}
