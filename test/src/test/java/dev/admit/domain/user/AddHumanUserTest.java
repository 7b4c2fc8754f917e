package dev.admit.domain.user;

import static dev.admit.domain.user.UserFixture.ORG;
import static dev.admit.domain.user.UserFixture.T0;
import static dev.admit.domain.user.UserFixture.USER;
import static dev.admit.domain.user.UserFixture.details;
import static dev.admit.domain.user.UserFixture.userAdded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.AddHumanUserResult;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.InitialPassword;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.password.PasswordHash;
import dev.admit.test.TestPasswords;
import org.junit.jupiter.api.Test;

/** AddHumanUser. */
class AddHumanUserTest {

    private final UserFixture users = new UserFixture();

    private static AddHumanUserCommand add(Username username, boolean emailVerified) {
        return new AddHumanUserCommand(
                USER,
                ORG,
                username,
                "Ada",
                "Lovelace",
                "Ada L.",
                "en",
                new EmailAddress("ada@example.com"),
                emailVerified);
    }

    @Test
    void adding_a_user_records_human_user_added_and_answers_sequence_1() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven()
                .when(add(new Username("ada"), false))
                .expectEvents(
                        new HumanUserAdded(USER, ORG, "ada", "Ada", "Lovelace", "Ada L.", "en", "ada@example.com"))
                .expectResultMessagePayload(new AddHumanUserResult(USER, details(1, T0)));
    }

    @Test
    void adding_a_user_with_a_verified_email_also_records_email_verified_and_answers_its_details() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven()
                .when(add(new Username("ada"), true))
                .expectEvents(
                        new HumanUserAdded(USER, ORG, "ada", "Ada", "Lovelace", "Ada L.", "en", "ada@example.com"),
                        new EmailVerified())
                .expectResultMessagePayload(new AddHumanUserResult(USER, details(2, T0)));
    }

    @Test
    void the_username_defaults_to_the_email_address() {
        assertThat(add(null, false).username()).isEqualTo(new Username("ada@example.com"));
        users.fixture
                .givenNoPriorActivity()
                .when(add(null, false))
                .expectEvents(new HumanUserAdded(
                        USER, ORG, "ada@example.com", "Ada", "Lovelace", "Ada L.", "en", "ada@example.com"));
    }

    @Test
    void a_user_id_already_in_use_is_refused_with_already_exists() {
        users.fixture
                .given(userAdded())
                .when(add(new Username("other"), false))
                .expectNoEvents()
                .expectExceptionMessage("User already exists (COMMAND-7yiox1isql)");
    }

    private static AddHumanUserCommand addWith(boolean emailVerified, InitialPassword password) {
        return new AddHumanUserCommand(
                USER,
                ORG,
                new Username("ada"),
                "Ada",
                "Lovelace",
                "Ada L.",
                "en",
                new EmailAddress("ada@example.com"),
                emailVerified,
                password);
    }

    private static final HumanUserAdded ADDED =
            new HumanUserAdded(USER, ORG, "ada", "Ada", "Lovelace", "Ada L.", "en", "ada@example.com");
    private static final String BCRYPT = "$2y$14$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

    @Test
    void a_compliant_password_initializes_the_user_in_the_same_command() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven()
                .when(addWith(false, new InitialPassword.Chosen(TestPasswords.newPassword(TestPasswords.GOOD))))
                .expectEvents(
                        ADDED,
                        new PasswordChanged(
                                TestPasswords.hashOf(TestPasswords.GOOD).encoded(), false))
                .expectResultMessagePayload(new AddHumanUserResult(USER, details(2, T0)));
    }

    @Test
    void the_password_comes_after_the_verified_email_and_the_details_are_those_of_the_password() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven()
                .when(addWith(true, new InitialPassword.Chosen(TestPasswords.newPassword(TestPasswords.GOOD))))
                .expectEvents(
                        ADDED,
                        new EmailVerified(),
                        new PasswordChanged(
                                TestPasswords.hashOf(TestPasswords.GOOD).encoded(), false))
                .expectResultMessagePayload(new AddHumanUserResult(USER, details(3, T0)));
    }

    @Test
    void a_plain_password_breaking_the_complexity_policy_is_refused_and_no_user_is_created() {
        users.fixture
                .givenNoPriorActivity()
                .when(addWith(false, new InitialPassword.Chosen(TestPasswords.newPassword("abcdefgh"))))
                .expectNoEvents()
                .expectExceptionMessage("Password must contain upper case (DOMAIN-VoaRj)");
    }

    @Test
    void a_taken_user_id_is_refused_before_the_password_is_looked_at() {
        users.fixture
                .given(userAdded())
                .when(addWith(false, new InitialPassword.Chosen(TestPasswords.newPassword("weak"))))
                .expectNoEvents()
                .expectExceptionMessage("User already exists (COMMAND-7yiox1isql)");
    }

    @Test
    void an_imported_bcrypt_hash_is_recorded_as_it_is_with_its_change_required_flag() {
        users.fixture
                .givenNoPriorActivity()
                .when(addWith(false, new InitialPassword.Imported(PasswordHash.of(BCRYPT), true)))
                .expectEvents(ADDED, new PasswordChanged(BCRYPT, true));
    }

    @Test
    void a_user_added_with_a_password_is_already_initialized_for_an_invite() {
        users.fixture
                .given(ADDED, new PasswordChanged(BCRYPT, false))
                .when(new CreateInviteCodeCommand(USER, OrgScope.any(), new InviteDelivery.ReturnCode()))
                .expectNoEvents()
                .expectExceptionMessage("User is already initialized (COMMAND-EF34g)");
    }
}
