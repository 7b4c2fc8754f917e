package dev.admit.domain.user;

import static dev.admit.domain.user.UserFixture.T0;
import static dev.admit.domain.user.UserFixture.USER;
import static dev.admit.domain.user.UserFixture.details;
import static dev.admit.domain.user.UserFixture.mailedCode;
import static dev.admit.domain.user.UserFixture.returnedCode;
import static dev.admit.domain.user.UserFixture.userAdded;

import dev.admit.domain.message.ConfirmInviteCodeSentCommand;
import dev.admit.domain.message.InviteCodeSent;
import org.junit.jupiter.api.Test;

/** ConfirmInviteCodeSent: what the mailer records after delivering the code issued at a given sequence. */
class ConfirmInviteCodeSentTest {

    private final UserFixture users = new UserFixture();

    @Test
    void delivery_of_the_current_mailed_code_is_recorded() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), mailedCode(users.issued(), null, null))
                .when(new ConfirmInviteCodeSentCommand(USER, 2))
                .expectEvents(new InviteCodeSent())
                .expectResultMessagePayload(details(3, T0));
    }

    @Test
    void a_second_confirmation_records_nothing_more() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), mailedCode(users.issued(), null, null), new InviteCodeSent())
                .when(new ConfirmInviteCodeSentCommand(USER, 2))
                .expectNoEvents()
                .expectResultMessagePayload(details(3, T0));
    }

    @Test
    void a_superseded_code_cannot_be_confirmed() {
        users.fixture
                .given(userAdded(), mailedCode(users.issued(), null, null), mailedCode(users.issued(), null, null))
                .when(new ConfirmInviteCodeSentCommand(USER, 2))
                .expectNoEvents()
                .expectExceptionMessage("Code not found (COMMAND-Wr3gq)");
    }

    @Test
    void a_returned_code_is_never_confirmed_as_sent() {
        users.fixture
                .given(userAdded(), returnedCode(users.issued()))
                .when(new ConfirmInviteCodeSentCommand(USER, 2))
                .expectNoEvents()
                .expectExceptionMessage("Code not found (COMMAND-Wr3gq)");
    }

    @Test
    void a_missing_user_is_not_found() {
        users.fixture
                .givenNoPriorActivity()
                .when(new ConfirmInviteCodeSentCommand(USER, 2))
                .expectNoEvents()
                .expectExceptionMessage("User could not be found (COMMAND-Wgvn4)");
    }
}
