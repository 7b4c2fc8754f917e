package dev.admit.domain.user;

import static dev.admit.domain.user.UserFixture.T0;
import static dev.admit.domain.user.UserFixture.USER;
import static dev.admit.domain.user.UserFixture.details;
import static dev.admit.domain.user.UserFixture.satisfying;
import static dev.admit.domain.user.UserFixture.userAdded;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.invite.InviteCodes;
import dev.admit.domain.message.ConfirmPasswordCodeSentCommand;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.PasswordCodeAdded;
import dev.admit.domain.message.PasswordCodeCheckFailed;
import dev.admit.domain.message.PasswordCodeCheckFailed.Reason;
import dev.admit.domain.message.PasswordCodeSent;
import dev.admit.domain.message.PasswordOutcome.Accepted;
import dev.admit.domain.message.PasswordOutcome.Rejected;
import dev.admit.domain.message.PasswordResetDelivery;
import dev.admit.domain.message.RequestPasswordResetCommand;
import dev.admit.domain.message.RequestPasswordResetResult;
import dev.admit.domain.message.SetPasswordCommand;
import dev.admit.domain.message.SetPasswordVerification;
import dev.admit.test.TestInviteCodes;
import dev.admit.test.TestPasswords;
import java.time.Duration;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.Test;

/**
 * PasswordReset, and SetPassword with a reset code. A reset code follows the invite code's rules: sealed, expiring
 * (one hour by default), at most three failed attempts, superseded by a newer one; it is also dead once the password
 * has changed.
 */
class PasswordResetTest {

    private static final String TEMPLATE = "https://acme.example/reset?user={{.UserID}}&code={{.Code}}";
    private static final Duration RESET_EXPIRY = Duration.ofHours(1);
    private static final String NEW = TestPasswords.OTHER_GOOD;

    private final UserFixture users = new UserFixture();
    private final InviteCodes resetCodes = users.inviteCodes.passwordResetCodes();
    private final InviteCodes.IssuedCode code = resetCodes.issue(USER);

    private static RequestPasswordResetCommand request(PasswordResetDelivery delivery) {
        return new RequestPasswordResetCommand(USER, OrgScope.any(), delivery);
    }

    private static SetPasswordCommand setWith(String attempt, String newPassword) {
        return new SetPasswordCommand(
                USER,
                OrgScope.any(),
                TestPasswords.newPassword(newPassword),
                new SetPasswordVerification.ResetCode(attempt));
    }

    private static PasswordCodeAdded returned(InviteCodes.IssuedCode issued) {
        return new PasswordCodeAdded(issued.sealed(), RESET_EXPIRY, null, true);
    }

    private static PasswordChanged changedTo(String plain) {
        return new PasswordChanged(TestPasswords.hashOf(plain).encoded(), false);
    }

    private static String wrong(InviteCodes.IssuedCode issued) {
        return issued.plain().reveal().equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
    }

    private static Rejected rejected(ErrorCatalogue error, long sequence) {
        return new Rejected(error, details(sequence, T0));
    }

    // PasswordReset

    @Test
    void requesting_for_a_missing_user_is_not_found_and_nothing_is_recorded() {
        users.fixture
                .givenNoPriorActivity()
                .when(request(new PasswordResetDelivery.ReturnCode()))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectExceptionMessage("User could not be found (COMMAND-Wgvn4)");
    }

    @Test
    void return_code_issues_a_returned_code_valid_one_hour_and_answers_it() {
        UserFixture.Seen<PasswordCodeAdded> added = new UserFixture.Seen<>();
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded())
                .when(request(new PasswordResetDelivery.ReturnCode()))
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        Matchers.matches(payload -> payload instanceof PasswordCodeAdded event
                                && event.codeReturned()
                                && event.urlTemplate() == null
                                && event.expiry().equals(RESET_EXPIRY)
                                && added.add(event)),
                        Matchers.andNoMore())))
                .expectResultMessagePayloadMatching(satisfying(
                        RequestPasswordResetResult.class,
                        "the code that was sealed, with the details of its event",
                        result -> result.details().equals(details(2, T0))
                                && result.returnedCode().isPresent()
                                && resetCodes.matches(
                                        USER,
                                        added.last().code(),
                                        result.returnedCode().get().reveal())));
    }

    @Test
    void send_link_by_email_issues_a_mailed_code_with_its_template_and_answers_no_code() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded())
                .when(request(
                        new PasswordResetDelivery.SendLink(PasswordResetDelivery.NotificationType.EMAIL, TEMPLATE)))
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        Matchers.matches(payload -> payload instanceof PasswordCodeAdded event
                                && !event.codeReturned()
                                && TEMPLATE.equals(event.urlTemplate())),
                        Matchers.andNoMore())))
                .expectResultMessagePayloadMatching(satisfying(
                        RequestPasswordResetResult.class,
                        "no code",
                        result -> result.returnedCode().isEmpty()));
    }

    @Test
    void a_link_without_template_leaves_it_to_the_configured_default() {
        users.fixture
                .given(userAdded())
                .when(request(PasswordResetDelivery.SendLink.email()))
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        Matchers.matches(payload -> payload instanceof PasswordCodeAdded event
                                && !event.codeReturned()
                                && event.urlTemplate() == null),
                        Matchers.andNoMore())));
    }

    @Test
    void a_template_with_an_unknown_placeholder_is_invalid_and_nothing_is_recorded() {
        users.fixture
                .given(userAdded())
                .when(request(new PasswordResetDelivery.SendLink(
                        PasswordResetDelivery.NotificationType.EMAIL, "https://x.test/{{.Secret}}")))
                .expectNoEvents()
                .expectExceptionMessage("URL Template is invalid (DOMAIN-oGh5e)");
    }

    @Test
    void sms_is_refused_as_unsupported_and_nothing_is_recorded() {
        users.fixture
                .given(userAdded())
                .when(request(new PasswordResetDelivery.SendLink(PasswordResetDelivery.NotificationType.SMS, null)))
                .expectNoEvents()
                .expectExceptionMessage("Password reset codes can only be sent by email (ADMIT-Pw2sm)");
    }

    @Test
    void a_missing_user_is_not_found_before_sms_is_refused() {
        users.fixture
                .givenNoPriorActivity()
                .when(request(new PasswordResetDelivery.SendLink(PasswordResetDelivery.NotificationType.SMS, null)))
                .expectNoEvents()
                .expectExceptionMessage("User could not be found (COMMAND-Wgvn4)");
    }

    @Test
    void a_reset_may_be_requested_for_a_user_who_has_no_password_yet() {
        users.fixture
                .given(userAdded())
                .when(request(new PasswordResetDelivery.ReturnCode()))
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        Matchers.matches(PasswordCodeAdded.class::isInstance), Matchers.andNoMore())));
    }

    // SetPassword with a reset code

    @Test
    void a_missing_user_is_not_found_before_the_code_is_looked_at() {
        users.fixture
                .givenNoPriorActivity()
                .when(setWith("K7Q2ZD", NEW))
                .expectNoEvents()
                .expectExceptionMessage("User could not be found (COMMAND-Wgvn4)");
    }

    @Test
    void the_right_code_sets_the_password_and_answers_the_details_of_its_event() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returned(code))
                .when(setWith(code.plain().reveal(), NEW))
                .expectEvents(changedTo(NEW))
                .expectResultMessagePayload(new Accepted(details(3, T0)));
    }

    @Test
    void without_any_code_the_attempt_is_recorded_and_answered_code_not_found() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded())
                .when(setWith("K7Q2ZD", NEW))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new PasswordCodeCheckFailed(Reason.NO_ACTIVE_CODE))
                .expectResultMessagePayload(rejected(ErrorCatalogue.PASSWORD_CODE_NOT_FOUND, 2));
    }

    @Test
    void a_wrong_code_is_recorded_and_answered_invalid() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returned(code))
                .when(setWith(wrong(code), NEW))
                .expectEvents(new PasswordCodeCheckFailed(Reason.WRONG_CODE))
                .expectResultMessagePayload(rejected(ErrorCatalogue.PASSWORD_CODE_INVALID, 3));
    }

    @Test
    void at_the_expiry_instant_the_code_is_expired_and_the_attempt_recorded() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returned(code))
                .andGivenCurrentTime(T0.plus(RESET_EXPIRY))
                .when(setWith(code.plain().reveal(), NEW))
                .expectEvents(new PasswordCodeCheckFailed(Reason.EXPIRED))
                .expectResultMessagePayload(
                        new Rejected(ErrorCatalogue.PASSWORD_CODE_EXPIRED, details(3, T0.plus(RESET_EXPIRY))));
    }

    @Test
    void one_millisecond_before_expiry_the_code_still_works() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returned(code))
                .andGivenCurrentTime(T0.plus(RESET_EXPIRY).minusMillis(1))
                .when(setWith(code.plain().reveal(), NEW))
                .expectEvents(changedTo(NEW));
    }

    @Test
    void an_expired_attempt_kills_the_code_so_the_next_finds_none() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returned(code), new PasswordCodeCheckFailed(Reason.EXPIRED))
                .when(setWith(code.plain().reveal(), NEW))
                .expectEvents(new PasswordCodeCheckFailed(Reason.NO_ACTIVE_CODE))
                .expectResultMessagePayload(rejected(ErrorCatalogue.PASSWORD_CODE_NOT_FOUND, 4));
    }

    @Test
    void a_code_used_to_change_the_password_is_refused_as_used() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returned(code), changedTo(NEW))
                .when(setWith(code.plain().reveal(), "Th1rd-Secret!"))
                .expectEvents(new PasswordCodeCheckFailed(Reason.USED))
                .expectResultMessagePayload(rejected(ErrorCatalogue.PASSWORD_CODE_USED, 4));
    }

    @Test
    void the_right_code_still_works_on_the_third_attempt_after_two_failures() {
        PasswordCodeCheckFailed wrongCode = new PasswordCodeCheckFailed(Reason.WRONG_CODE);
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returned(code), wrongCode, wrongCode)
                .when(setWith(code.plain().reveal(), NEW))
                .expectEvents(changedTo(NEW));
    }

    @Test
    void after_three_failures_even_the_right_code_finds_no_active_code() {
        PasswordCodeCheckFailed wrongCode = new PasswordCodeCheckFailed(Reason.WRONG_CODE);
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returned(code), wrongCode, wrongCode, wrongCode)
                .when(setWith(code.plain().reveal(), NEW))
                .expectEvents(new PasswordCodeCheckFailed(Reason.NO_ACTIVE_CODE))
                .expectResultMessagePayload(rejected(ErrorCatalogue.PASSWORD_CODE_NOT_FOUND, 6));
    }

    @Test
    void a_newer_code_supersedes_the_old_one() {
        InviteCodes.IssuedCode newer = resetCodes.issue(USER);
        String old = code.plain().reveal().equals(newer.plain().reveal())
                ? wrong(newer)
                : code.plain().reveal();
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returned(code), returned(newer))
                .when(setWith(old, NEW))
                .expectEvents(new PasswordCodeCheckFailed(Reason.WRONG_CODE));
    }

    @Test
    void a_newer_code_resets_the_failure_count_of_one_that_ran_out_of_attempts() {
        InviteCodes.IssuedCode newer = resetCodes.issue(USER);
        PasswordCodeCheckFailed wrongCode = new PasswordCodeCheckFailed(Reason.WRONG_CODE);
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returned(code), wrongCode, wrongCode, wrongCode, returned(newer))
                .andGiven(wrongCode, wrongCode)
                .when(setWith(newer.plain().reveal(), NEW))
                .expectEvents(changedTo(NEW));
    }

    @Test
    void a_newer_code_revives_a_reset_after_the_old_code_was_used() {
        InviteCodes.IssuedCode newer = resetCodes.issue(USER);
        users.fixture
                .given(userAdded(), returned(code), changedTo(NEW), returned(newer))
                .when(setWith(newer.plain().reveal(), "Th1rd-Secret!"))
                .expectEvents(changedTo("Th1rd-Secret!"));
    }

    @Test
    void the_code_is_checked_before_the_complexity_policy() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returned(code))
                .when(setWith(wrong(code), "weak"))
                .expectEvents(new PasswordCodeCheckFailed(Reason.WRONG_CODE))
                .expectResultMessagePayload(rejected(ErrorCatalogue.PASSWORD_CODE_INVALID, 3));
    }

    @Test
    void the_right_code_with_a_weak_password_is_refused_by_the_policy_and_the_code_is_not_spent() {
        users.fixture
                .given(userAdded(), returned(code))
                .when(setWith(code.plain().reveal(), "weak"))
                .expectNoEvents()
                .expectExceptionMessage("Password is too short (DOMAIN-HuJf6)");
    }

    @Test
    void an_invite_code_is_no_reset_code() {
        InviteCodes.IssuedCode invite = users.issued();
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), UserFixture.returnedCode(invite))
                .when(setWith(invite.plain().reveal(), NEW))
                .expectEvents(new PasswordCodeCheckFailed(Reason.NO_ACTIVE_CODE));
    }

    @Test
    void a_code_whose_key_is_gone_is_refused_by_name_recorded_and_not_counted() {
        InviteCodes.IssuedCode foreign =
                new TestInviteCodes().inviteCodes().passwordResetCodes().issue(USER);
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returned(foreign))
                .when(setWith("ABCDEF", NEW))
                .expectEvents(new PasswordCodeCheckFailed(Reason.UNREADABLE))
                .expectResultMessagePayload(
                        new Rejected(ErrorCatalogue.INVITE_CODE_UNREADABLE, details(3, T0), "key test-key"));
    }

    // ConfirmPasswordCodeSent

    @Test
    void delivery_of_the_current_mailed_code_is_recorded_once() {
        PasswordCodeAdded mailed = new PasswordCodeAdded(code.sealed(), RESET_EXPIRY, TEMPLATE, false);
        users.fixture
                .given(userAdded(), mailed)
                .when(new ConfirmPasswordCodeSentCommand(USER, 2))
                .expectEvents(new PasswordCodeSent());
        new UserFixture()
                .fixture
                .given(userAdded(), mailed, new PasswordCodeSent())
                .when(new ConfirmPasswordCodeSentCommand(USER, 2))
                .expectNoEvents();
    }

    @Test
    void a_superseded_or_returned_code_cannot_be_confirmed() {
        PasswordCodeAdded mailed = new PasswordCodeAdded(code.sealed(), RESET_EXPIRY, TEMPLATE, false);
        users.fixture
                .given(userAdded(), mailed, mailed)
                .when(new ConfirmPasswordCodeSentCommand(USER, 2))
                .expectNoEvents()
                .expectExceptionMessage("Code not found (COMMAND-2M9fs)");
        new UserFixture()
                .fixture
                .given(userAdded(), returned(code))
                .when(new ConfirmPasswordCodeSentCommand(USER, 2))
                .expectNoEvents()
                .expectExceptionMessage("Code not found (COMMAND-2M9fs)");
    }
}
