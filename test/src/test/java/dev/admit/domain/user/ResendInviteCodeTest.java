package dev.admit.domain.user;

import static dev.admit.domain.user.UserFixture.EXPIRY;
import static dev.admit.domain.user.UserFixture.OTHER_ORG;
import static dev.admit.domain.user.UserFixture.T0;
import static dev.admit.domain.user.UserFixture.USER;
import static dev.admit.domain.user.UserFixture.details;
import static dev.admit.domain.user.UserFixture.event;
import static dev.admit.domain.user.UserFixture.mailedCode;
import static dev.admit.domain.user.UserFixture.returnedCode;
import static dev.admit.domain.user.UserFixture.userAdded;

import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.InviteCodeCheckFailed;
import dev.admit.domain.message.InviteCodeSent;
import dev.admit.domain.message.InviteCodeVerified;
import dev.admit.domain.message.ResendInviteCodeCommand;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.Test;

/** ResendInviteCode: needs an active mailed code, and replaces it with a new one mailed the same way. */
class ResendInviteCodeTest {

    private static final String TEMPLATE = "https://acme.example/invite/{{.UserID}}/{{.Code}}";

    private final UserFixture users = new UserFixture();

    private static ResendInviteCodeCommand resend() {
        return new ResendInviteCodeCommand(USER, OrgScope.any());
    }

    @Test
    void a_missing_user_is_not_found() {
        users.fixture
                .givenNoPriorActivity()
                .when(resend())
                .expectNoEvents()
                .expectExceptionMessage("User could not be found (COMMAND-Wgvn4)");
    }

    @Test
    void a_user_outside_the_callers_organization_is_not_found() {
        users.fixture
                .given(userAdded(), mailedCode(users.issued(), TEMPLATE, "Acme"))
                .when(new ResendInviteCodeCommand(USER, OrgScope.only(OTHER_ORG)))
                .expectNoEvents()
                .expectExceptionMessage("User could not be found (COMMAND-Wgvn4)");
    }

    @Test
    void without_any_code_there_is_nothing_to_resend() {
        users.fixture
                .given(userAdded())
                .when(resend())
                .expectNoEvents()
                .expectExceptionMessage("Code not found (COMMAND-Wr3gq)");
    }

    @Test
    void a_returned_code_is_not_resent() {
        users.fixture
                .given(userAdded(), returnedCode(users.issued()))
                .when(resend())
                .expectNoEvents()
                .expectExceptionMessage("Code not found (COMMAND-Wr3gq)");
    }

    @Test
    void a_mailed_code_is_replaced_by_a_new_one_with_the_same_template_and_application_name() {
        InviteCodeAdded mailed = mailedCode(users.issued(), TEMPLATE, "Acme");
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), mailed, new InviteCodeSent())
                .when(resend())
                .expectEventsMatching(Matchers.exactSequenceOf(
                        event(
                                InviteCodeAdded.class,
                                "a new mailed code with the same template and name",
                                e -> !e.codeReturned()
                                        && !e.code().equals(mailed.code())
                                        && e.expiry().equals(EXPIRY)
                                        && TEMPLATE.equals(e.urlTemplate())
                                        && "Acme".equals(e.applicationName())),
                        Matchers.andNoMore()))
                .expectResultMessagePayload(details(4, T0));
    }

    @Test
    void a_mailed_code_not_yet_delivered_can_be_resent() {
        users.fixture
                .given(userAdded(), mailedCode(users.issued(), null, null))
                .when(resend())
                .expectEventsMatching(Matchers.exactSequenceOf(
                        event(InviteCodeAdded.class, "mailed", e -> !e.codeReturned()), Matchers.andNoMore()));
    }

    @Test
    void an_expired_mailed_code_is_not_active_and_not_resent() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), mailedCode(users.issued(), TEMPLATE, "Acme"))
                .andGivenCurrentTime(T0.plus(EXPIRY))
                .when(resend())
                .expectNoEvents()
                .expectExceptionMessage("Code not found (COMMAND-Wr3gq)");
    }

    @Test
    void a_verified_code_is_not_resent() {
        users.fixture
                .given(
                        userAdded(),
                        mailedCode(users.issued(), TEMPLATE, "Acme"),
                        new InviteCodeVerified(),
                        new EmailVerified())
                .when(resend())
                .expectExceptionMessage("Code not found (COMMAND-Wr3gq)");
    }

    @Test
    void a_code_out_of_attempts_is_not_resent() {
        InviteCodeCheckFailed wrongCode = new InviteCodeCheckFailed(InviteCodeCheckFailed.Reason.WRONG_CODE);
        users.fixture
                .given(userAdded(), mailedCode(users.issued(), TEMPLATE, "Acme"), wrongCode, wrongCode, wrongCode)
                .when(resend())
                .expectExceptionMessage("Code not found (COMMAND-Wr3gq)");
    }
}
