package dev.admit.examples.host.onboarding;

import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.InviteCodeCheckFailed;
import dev.admit.domain.message.InviteCodeVerified;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.test.AdmitCommands;
import dev.admit.test.AdmitEvents;
import dev.admit.test.TestIds;
import dev.admit.test.UserTestFixture;
import java.time.Duration;
import org.hamcrest.CustomTypeSafeMatcher;
import org.junit.jupiter.api.Test;

/** The invite rules the host relies on, pinned with Admit's test kit on Admit's own User aggregate. */
class InviteRulesTest {

    // tag::fixture-test[]
    private final UserTestFixture users = new UserTestFixture(); // invite codes and clock registered

    @Test
    void a_member_who_types_the_code_gets_a_verified_email() {
        users.fixture()
                .given(
                        AdmitEvents.humanUserAdded().email("member@example.com").build(),
                        // a real sealed code whose plain text the test chose
                        AdmitEvents.inviteCodeAdded(users.codes(), TestIds.USER, "TEAM42").build())
                .when(AdmitCommands.verifyInviteCode(TestIds.USER, "TEAM42"))
                .expectEvents(new InviteCodeVerified(), new EmailVerified());
    }
    // end::fixture-test[]

    @Test
    void a_code_typed_after_its_expiry_is_refused_as_expired() {
        users.fixture()
                .given(
                        AdmitEvents.humanUserAdded().build(),
                        AdmitEvents.inviteCodeAdded(users.codes(), TestIds.USER, "TEAM42")
                                .expiry(Duration.ofDays(1))
                                .build())
                .andGivenCurrentTime(users.clock().instant().plus(Duration.ofDays(2)))
                .when(AdmitCommands.verifyInviteCode(TestIds.USER, "TEAM42"))
                .expectEvents(AdmitEvents.inviteCodeCheckFailed(InviteCodeCheckFailed.Reason.EXPIRED))
                .expectResultMessagePayloadMatching(new CustomTypeSafeMatcher<VerifyInviteCodeOutcome>("expired") {
                    @Override
                    protected boolean matchesSafely(VerifyInviteCodeOutcome outcome) {
                        return outcome instanceof VerifyInviteCodeOutcome.Rejected rejected
                                && rejected.error() == ErrorCatalogue.INVITE_CODE_EXPIRED;
                    }
                });
    }

    @Test
    void a_member_of_another_organization_is_not_found() {
        users.fixture()
                .given(AdmitEvents.humanUserAdded().orgId(TestIds.OTHER_ORG).build())
                .when(AdmitCommands.createInviteCode(TestIds.USER).returnCode().build())
                .expectException(dev.admit.domain.error.DomainException.class)
                .expectNoEvents();
    }
}
