package dev.admit.domain.user;

import static dev.admit.domain.user.UserFixture.ORG;
import static dev.admit.domain.user.UserFixture.T0;
import static dev.admit.domain.user.UserFixture.USER;
import static dev.admit.domain.user.UserFixture.details;
import static dev.admit.domain.user.UserFixture.userAdded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.AddHumanUserResult;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
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
}
