package dev.admit.domain.user;

import static dev.admit.domain.user.UserFixture.EXPIRY;
import static dev.admit.domain.user.UserFixture.ORG;
import static dev.admit.domain.user.UserFixture.OTHER_ORG;
import static dev.admit.domain.user.UserFixture.T0;
import static dev.admit.domain.user.UserFixture.USER;
import static dev.admit.domain.user.UserFixture.details;
import static dev.admit.domain.user.UserFixture.returnedCode;
import static dev.admit.domain.user.UserFixture.userAdded;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.invite.InviteCodes;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.InviteCodeCheckFailed;
import dev.admit.domain.message.InviteCodeCheckFailed.Reason;
import dev.admit.domain.message.InviteCodeVerified;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome.Rejected;
import dev.admit.domain.message.VerifyInviteCodeOutcome.Verified;
import dev.admit.test.TestInviteCodes;
import java.time.Duration;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.Test;

/** VerifyInviteCode, rules 4 to 8 of behaviour.md §3, in their order. */
class VerifyInviteCodeTest {

    private final UserFixture users = new UserFixture();
    private final InviteCodes.IssuedCode code = users.issued();

    private static VerifyInviteCodeCommand verify(String attempt) {
        return new VerifyInviteCodeCommand(USER, OrgScope.any(), attempt);
    }

    private static String wrong(InviteCodes.IssuedCode code) {
        return code.plain().reveal().equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
    }

    private static Rejected rejected(ErrorCatalogue error, long sequence) {
        return new Rejected(error, details(sequence, T0));
    }

    @Test
    void rule4_a_missing_user_is_not_found_and_nothing_is_recorded() {
        users.fixture
                .givenNoPriorActivity()
                .when(verify("K7Q2ZD"))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectExceptionMessage("User could not be found (COMMAND-F5g2h)");
    }

    @Test
    void rule4_a_user_outside_the_callers_organization_is_not_found_and_nothing_is_recorded() {
        users.fixture
                .given(userAdded(), returnedCode(code))
                .when(new VerifyInviteCodeCommand(
                        USER, OrgScope.only(OTHER_ORG), code.plain().reveal()))
                .expectNoEvents()
                .expectExceptionMessage("User could not be found (COMMAND-F5g2h)");
    }

    @Test
    void rule4_a_caller_limited_to_the_users_own_organization_may_verify() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code))
                .when(new VerifyInviteCodeCommand(
                        USER, OrgScope.only(ORG), code.plain().reveal()))
                .expectEvents(new InviteCodeVerified(), new EmailVerified());
    }

    @Test
    void rule5_without_any_code_the_attempt_is_recorded_as_no_active_code_and_answered_invalid() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded())
                .when(verify("K7Q2ZD"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new InviteCodeCheckFailed(Reason.NO_ACTIVE_CODE))
                .expectResultMessagePayload(rejected(ErrorCatalogue.INVITE_CODE_INVALID, 2));
    }

    @Test
    void rule5_after_a_successful_verification_the_code_is_no_longer_active() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code), new InviteCodeVerified(), new EmailVerified())
                .when(verify(code.plain().reveal()))
                .expectEvents(new InviteCodeCheckFailed(Reason.NO_ACTIVE_CODE))
                .expectResultMessagePayload(rejected(ErrorCatalogue.INVITE_CODE_INVALID, 5));
    }

    @Test
    void rule5_after_three_failures_even_the_right_code_finds_no_active_code() {
        InviteCodeCheckFailed wrongCode = new InviteCodeCheckFailed(Reason.WRONG_CODE);
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code), wrongCode, wrongCode, wrongCode)
                .when(verify(code.plain().reveal()))
                .expectEvents(new InviteCodeCheckFailed(Reason.NO_ACTIVE_CODE))
                .expectResultMessagePayload(rejected(ErrorCatalogue.INVITE_CODE_INVALID, 6));
    }

    @Test
    void rule5_an_email_verified_by_other_means_ends_the_code() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code), new EmailVerified())
                .when(verify(code.plain().reveal()))
                .expectEvents(new InviteCodeCheckFailed(Reason.NO_ACTIVE_CODE))
                .expectResultMessagePayload(rejected(ErrorCatalogue.INVITE_CODE_INVALID, 4));
    }

    @Test
    void rule6_at_the_expiry_instant_the_code_is_expired_and_the_attempt_recorded() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code))
                .andGivenCurrentTime(T0.plus(EXPIRY))
                .when(verify(code.plain().reveal()))
                .expectEvents(new InviteCodeCheckFailed(Reason.EXPIRED))
                .expectResultMessagePayload(
                        new Rejected(ErrorCatalogue.INVITE_CODE_EXPIRED, details(3, T0.plus(EXPIRY))));
    }

    @Test
    void rule6_one_millisecond_before_expiry_the_code_still_verifies() {
        Duration justBefore = EXPIRY.minusMillis(1);
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code))
                .andGivenCurrentTime(T0.plus(justBefore))
                .when(verify(code.plain().reveal()))
                .expectEvents(new InviteCodeVerified(), new EmailVerified())
                .expectResultMessagePayload(new Verified(details(4, T0.plus(justBefore))));
    }

    @Test
    void rule6_an_expired_attempt_kills_the_code_so_the_next_finds_no_active_code() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code), new InviteCodeCheckFailed(Reason.EXPIRED))
                .when(verify(code.plain().reveal()))
                .expectEvents(new InviteCodeCheckFailed(Reason.NO_ACTIVE_CODE))
                .expectResultMessagePayload(rejected(ErrorCatalogue.INVITE_CODE_INVALID, 4));
    }

    @Test
    void rule6_expiry_is_checked_before_the_code_is_compared() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code))
                .andGivenCurrentTime(T0.plus(EXPIRY).plusSeconds(1))
                .when(verify(wrong(code)))
                .expectEvents(new InviteCodeCheckFailed(Reason.EXPIRED));
    }

    @Test
    void rule7_a_wrong_code_is_recorded_and_answered_invalid() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code))
                .when(verify(wrong(code)))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new InviteCodeCheckFailed(Reason.WRONG_CODE))
                .expectResultMessagePayload(rejected(ErrorCatalogue.INVITE_CODE_INVALID, 3));
    }

    @Test
    void rule7_the_comparison_is_case_sensitive() {
        InviteCodes.IssuedCode lettered = issuedWithALetter();
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(lettered))
                .when(verify(lettered.plain().reveal().toLowerCase(java.util.Locale.ROOT)))
                .expectEvents(new InviteCodeCheckFailed(Reason.WRONG_CODE));
    }

    @Test
    void rule7_the_right_code_still_succeeds_on_the_third_attempt_after_two_failures() {
        InviteCodeCheckFailed wrongCode = new InviteCodeCheckFailed(Reason.WRONG_CODE);
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code), wrongCode, wrongCode)
                .when(verify(code.plain().reveal()))
                .expectEvents(new InviteCodeVerified(), new EmailVerified())
                .expectResultMessagePayload(new Verified(details(6, T0)));
    }

    @Test
    void rule7_the_third_failure_is_recorded_like_the_others() {
        InviteCodeCheckFailed wrongCode = new InviteCodeCheckFailed(Reason.WRONG_CODE);
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code), wrongCode, wrongCode)
                .when(verify(wrong(code)))
                .expectEvents(wrongCode)
                .expectResultMessagePayload(rejected(ErrorCatalogue.INVITE_CODE_INVALID, 5));
    }

    @Test
    void rule7_a_newer_code_supersedes_the_old_one() {
        InviteCodes.IssuedCode newer = users.issued();
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code), returnedCode(newer))
                .when(verify(
                        code.plain().reveal().equals(newer.plain().reveal())
                                ? wrong(newer)
                                : code.plain().reveal()))
                .expectEvents(new InviteCodeCheckFailed(Reason.WRONG_CODE));
    }

    @Test
    void rule7_a_newer_code_resets_the_failure_count() {
        InviteCodes.IssuedCode newer = users.issued();
        InviteCodeCheckFailed wrongCode = new InviteCodeCheckFailed(Reason.WRONG_CODE);
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code), wrongCode, wrongCode, returnedCode(newer))
                .andGiven(wrongCode, wrongCode)
                .when(verify(newer.plain().reveal()))
                .expectEvents(new InviteCodeVerified(), new EmailVerified())
                .expectResultMessagePayload(new Verified(details(9, T0)));
    }

    @Test
    void rule7_a_newer_code_revives_an_invite_that_ran_out_of_attempts() {
        InviteCodes.IssuedCode newer = users.issued();
        InviteCodeCheckFailed wrongCode = new InviteCodeCheckFailed(Reason.WRONG_CODE);
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code), wrongCode, wrongCode, wrongCode, returnedCode(newer))
                .when(verify(newer.plain().reveal()))
                .expectEvents(new InviteCodeVerified(), new EmailVerified());
    }

    @Test
    void rule8_the_right_code_records_verified_then_email_verified_and_answers_the_details_of_the_last() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(code))
                .when(verify(code.plain().reveal()))
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        Matchers.equalTo(new InviteCodeVerified()),
                        Matchers.equalTo(new EmailVerified()),
                        Matchers.andNoMore())))
                .expectResultMessagePayload(new Verified(details(4, T0)));
    }

    @Test
    void rule8_a_mailed_code_verifies_like_a_returned_one() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), UserFixture.mailedCode(code, "https://example.com/{{.Code}}", "Acme"))
                .when(verify(code.plain().reveal()))
                .expectEvents(new InviteCodeVerified(), new EmailVerified());
    }

    private InviteCodes.IssuedCode issuedWithALetter() {
        InviteCodes.IssuedCode issued = users.issued();
        while (issued.plain().reveal().chars().noneMatch(Character::isLetter)) {
            issued = users.issued();
        }
        return issued;
    }

    @Test
    void a_code_whose_key_is_gone_is_refused_by_name_recorded_and_not_counted() {
        TestInviteCodes otherKeys = new TestInviteCodes();
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded(), returnedCode(otherKeys.inviteCodes().issue(USER)))
                .when(new VerifyInviteCodeCommand(USER, OrgScope.only(ORG), "ABCDEF"))
                .expectEvents(new InviteCodeCheckFailed(InviteCodeCheckFailed.Reason.UNREADABLE))
                .expectResultMessagePayload(
                        new Rejected(ErrorCatalogue.INVITE_CODE_UNREADABLE, details(3, T0), "key test-key"));
    }
}
