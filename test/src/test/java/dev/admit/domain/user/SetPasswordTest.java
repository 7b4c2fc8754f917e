package dev.admit.domain.user;

import static dev.admit.domain.user.UserFixture.ORG;
import static dev.admit.domain.user.UserFixture.OTHER_ORG;
import static dev.admit.domain.user.UserFixture.T0;
import static dev.admit.domain.user.UserFixture.USER;
import static dev.admit.domain.user.UserFixture.details;
import static dev.admit.domain.user.UserFixture.userAdded;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.PasswordCheckFailed;
import dev.admit.domain.message.PasswordHashUpdated;
import dev.admit.domain.message.PasswordOutcome.Accepted;
import dev.admit.domain.message.PasswordOutcome.Rejected;
import dev.admit.domain.message.SetPasswordCommand;
import dev.admit.domain.message.SetPasswordVerification;
import dev.admit.domain.password.CheckedPassword;
import dev.admit.domain.password.NewPassword;
import dev.admit.domain.password.PasswordComplexityPolicy;
import dev.admit.test.AdmitEvents;
import dev.admit.test.TestPasswords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SetPassword without verification and with the current password, checked in this order: the user exists in the
 * caller's scope, the verification holds, the new password complies; then {@code password.changed}.
 */
class SetPasswordTest {

    private static final String CURRENT = TestPasswords.GOOD;
    private static final String NEW = TestPasswords.OTHER_GOOD;
    private static final String WEAK = "weak";

    private final UserFixture users = new UserFixture();

    private static SetPasswordCommand set(String plain, SetPasswordVerification verification) {
        return new SetPasswordCommand(USER, OrgScope.any(), TestPasswords.newPassword(plain), verification);
    }

    private static SetPasswordCommand unverified(String plain) {
        return set(plain, new SetPasswordVerification.Unverified());
    }

    private static SetPasswordCommand withCurrent(String plain, CheckedPassword checked) {
        return set(plain, new SetPasswordVerification.CurrentPassword(checked));
    }

    private static PasswordChanged changedTo(String plain) {
        return new PasswordChanged(TestPasswords.hashOf(plain).encoded(), false);
    }

    @Test
    void a_missing_user_is_not_found_and_nothing_is_recorded() {
        users.fixture
                .givenNoPriorActivity()
                .when(unverified(NEW))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectExceptionMessage("User could not be found (COMMAND-Wgvn4)");
    }

    @Test
    void a_user_outside_the_callers_organization_is_not_found() {
        users.fixture
                .given(userAdded())
                .when(new SetPasswordCommand(
                        USER,
                        OrgScope.only(OTHER_ORG),
                        TestPasswords.newPassword(NEW),
                        new SetPasswordVerification.Unverified()))
                .expectNoEvents()
                .expectExceptionMessage("User could not be found (COMMAND-Wgvn4)");
    }

    @Test
    void not_found_comes_before_the_verification_and_the_complexity_policy() {
        users.fixture
                .givenNoPriorActivity()
                .when(withCurrent(WEAK, CheckedPassword.againstNothing()))
                .expectNoEvents()
                .expectExceptionMessage("User could not be found (COMMAND-Wgvn4)");
    }

    @Test
    void without_verification_a_compliant_password_is_recorded_and_the_details_are_those_of_its_event() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded())
                .when(unverified(NEW))
                .expectEvents(changedTo(NEW))
                .expectResultMessagePayload(new Accepted(details(2, T0)));
    }

    @Test
    void a_caller_limited_to_the_users_organization_may_set_it() {
        users.fixture
                .given(userAdded())
                .when(new SetPasswordCommand(
                        USER,
                        OrgScope.only(ORG),
                        TestPasswords.newPassword(NEW),
                        new SetPasswordVerification.Unverified()))
                .expectEvents(changedTo(NEW));
    }

    @Test
    void change_required_user_agent_and_trigger_origin_are_recorded_with_the_change() {
        NewPassword password = TestPasswords.newPassword(NEW, PasswordComplexityPolicy.defaults(), true);
        users.fixture
                .given(userAdded())
                .when(new SetPasswordCommand(
                        USER,
                        OrgScope.any(),
                        password,
                        new SetPasswordVerification.Unverified(),
                        "agent-7",
                        "https://login.example.com"))
                .expectEvents(new PasswordChanged(
                        TestPasswords.hashOf(NEW).encoded(), true, "agent-7", "https://login.example.com"));
    }

    @ParameterizedTest
    @CsvSource({
        "Ab1!,       Password is too short (DOMAIN-HuJf6)",
        "ABCDEFG1!,  Password must contain lower case (DOMAIN-co3Xw)",
        "abcdefg1!,  Password must contain upper case (DOMAIN-VoaRj)",
        "Abcdefgh!,  Password must contain number (DOMAIN-ZBv4H)",
        "Abcdefgh1,  Password must contain symbol (DOMAIN-ZDLwA)"
    })
    void a_password_breaking_the_complexity_policy_is_refused_with_zitadels_id_and_nothing_is_recorded(
            String password, String message) {
        users.fixture
                .given(userAdded())
                .when(unverified(password))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectExceptionMessage(message);
    }

    @Test
    void the_policy_the_entry_point_sent_is_the_one_applied() {
        PasswordComplexityPolicy lenient = new PasswordComplexityPolicy(4, false, false, false, false);
        users.fixture
                .given(userAdded())
                .when(new SetPasswordCommand(
                        USER,
                        OrgScope.any(),
                        TestPasswords.newPassword("abcd", lenient, false),
                        new SetPasswordVerification.Unverified()))
                .expectEvents(changedTo("abcd"));
    }

    @Test
    void a_wrong_current_password_is_recorded_as_a_failed_check_and_answered_invalid() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), AdmitEvents.passwordChanged(CURRENT))
                .when(withCurrent(NEW, TestPasswords.checked(CURRENT, "not it")))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new PasswordCheckFailed())
                .expectResultMessagePayload(new Rejected(ErrorCatalogue.PASSWORD_INVALID, details(3, T0)));
    }

    @Test
    void the_current_password_is_checked_before_the_complexity_policy() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), AdmitEvents.passwordChanged(CURRENT))
                .when(withCurrent(WEAK, TestPasswords.checked(CURRENT, "not it")))
                .expectEvents(new PasswordCheckFailed())
                .expectResultMessagePayload(new Rejected(ErrorCatalogue.PASSWORD_INVALID, details(3, T0)));
    }

    @Test
    void the_right_current_password_with_a_weak_new_one_is_refused_by_the_policy_and_nothing_is_recorded() {
        users.fixture
                .given(userAdded(), AdmitEvents.passwordChanged(CURRENT))
                .when(withCurrent(WEAK, TestPasswords.checked(CURRENT, CURRENT)))
                .expectNoEvents()
                .expectExceptionMessage("Password is too short (DOMAIN-HuJf6)");
    }

    @Test
    void the_right_current_password_changes_it() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), AdmitEvents.passwordChanged(CURRENT))
                .when(withCurrent(NEW, TestPasswords.checked(CURRENT, CURRENT)))
                .expectEvents(changedTo(NEW))
                .expectResultMessagePayload(new Accepted(details(3, T0)));
    }

    @Test
    void the_current_password_is_checked_against_the_hash_a_re_encoding_left() {
        String reEncoded = TestPasswords.hashOf("re-encoded " + CURRENT).encoded();
        users.fixture
                .given(userAdded(), AdmitEvents.passwordChanged(CURRENT), new PasswordHashUpdated(reEncoded))
                .when(withCurrent(NEW, new CheckedPassword(TestPasswords.hashOf("re-encoded " + CURRENT), true)))
                .expectEvents(changedTo(NEW));
    }

    @Test
    void a_current_password_for_a_user_without_one_is_refused_unrecorded() {
        users.fixture
                .given(userAdded())
                .when(withCurrent(NEW, CheckedPassword.againstNothing()))
                .expectNoEvents()
                .expectExceptionMessage("User has no password (COMMAND-Fds3s)");
    }

    @Test
    void a_check_against_a_hash_replaced_since_is_refused_as_a_concurrent_change_and_not_recorded() {
        users.fixture
                .given(userAdded(), AdmitEvents.passwordChanged(CURRENT), AdmitEvents.passwordChanged(NEW))
                .when(withCurrent("Th1rd-Secret!", TestPasswords.checked(CURRENT, CURRENT)))
                .expectNoEvents()
                .expectExceptionMessage("Password was changed meanwhile; try again (ADMIT-Pw5cm)");
    }

    @Test
    void a_check_that_found_no_hash_while_the_user_now_has_one_is_a_concurrent_change() {
        users.fixture
                .given(userAdded(), AdmitEvents.passwordChanged(CURRENT))
                .when(withCurrent(NEW, CheckedPassword.againstNothing()))
                .expectNoEvents()
                .expectExceptionMessage("Password was changed meanwhile; try again (ADMIT-Pw5cm)");
    }

    @Test
    void a_user_whose_password_was_set_is_initialized_and_refuses_an_invite() {
        users.fixture
                .given(userAdded(), changedTo(NEW))
                .when(new CreateInviteCodeCommand(USER, OrgScope.any(), new InviteDelivery.ReturnCode()))
                .expectNoEvents()
                .expectExceptionMessage("User is already initialized (COMMAND-EF34g)");
    }
}
