package dev.admit.service.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.core.api.Admit;
import dev.admit.core.api.NewHumanUser;
import dev.admit.core.api.PasswordVerification;
import dev.admit.core.api.UserAuthenticationMethods;
import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.message.AddHumanUserResult;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.WriteDetails;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.projection.UserPage;
import dev.admit.projection.UserView;
import dev.admit.service.AdmitContextTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The Java entry point, as an embedding application uses it. */
class AdmitEntryPointTest extends AdmitContextTest {

    @Autowired
    Admit admit;

    private static OrgId freshOrg() {
        return new OrgId(Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE)));
    }

    private UserId addUser(OrgId org, String name) {
        AddHumanUserResult added = admit.addHumanUser(
                OrgScope.only(org), NewHumanUser.of(org, name, "Tester", new EmailAddress(name + "@example.com")));
        return added.userId();
    }

    @Test
    void a_returned_code_verifies_and_the_read_shows_the_details_of_that_write() {
        OrgId org = freshOrg();
        OrgScope scope = OrgScope.only(org);
        UserId user = addUser(org, "ada");
        String code = admit.createInviteCode(scope, user, new InviteDelivery.ReturnCode())
                .returnedCode()
                .orElseThrow()
                .reveal();

        WriteDetails verified = admit.verifyInviteCode(scope, user, code);

        UserView read = admit.findUser(scope, user).orElseThrow();
        assertThat(read.emailVerified()).isTrue();
        assertThat(read.details().sequence()).isEqualTo(verified.sequence()).isEqualTo(4);
        assertThat(read.details().changeDate()).isEqualTo(verified.changeDate());
        assertThat(read.details().resourceOwner())
                .isEqualTo(verified.resourceOwner())
                .isEqualTo(org);
    }

    @Test
    void right_after_set_password_the_methods_and_the_user_show_the_password() {
        OrgId org = freshOrg();
        OrgScope scope = OrgScope.only(org);
        UserId user = addUser(org, "katherine");
        UserAuthenticationMethods before =
                admit.authenticationMethods(scope, user).orElseThrow();
        assertThat(before.types()).isEmpty();
        assertThat(before.details().sequence()).isEqualTo(1);

        WriteDetails set = admit.setPassword(scope, user, "Secret-1234", true, PasswordVerification.none());

        UserAuthenticationMethods after =
                admit.authenticationMethods(scope, user).orElseThrow();
        assertThat(after.types()).containsExactly(UserView.AuthenticationMethod.PASSWORD);
        assertThat(after.details().sequence()).isEqualTo(set.sequence());
        assertThat(after.details().changeDate()).isEqualTo(set.changeDate());
        UserView read = admit.findUser(scope, user).orElseThrow();
        assertThat(read.passwordChanged()).isEqualTo(set.changeDate());
        assertThat(read.passwordChangeRequired()).isTrue();
        assertThat(admit.authenticationMethods(OrgScope.only(freshOrg()), user))
                .as("outside the scope")
                .isEmpty();
        assertThat(admit.authenticationMethods(scope, new UserId("missing-" + user.value())))
                .isEmpty();
    }

    @Test
    void a_wrong_code_is_thrown_as_the_catalogue_entry_and_still_recorded() {
        OrgId org = freshOrg();
        OrgScope scope = OrgScope.only(org);
        UserId user = addUser(org, "grace");
        String code = admit.createInviteCode(scope, user, new InviteDelivery.ReturnCode())
                .returnedCode()
                .orElseThrow()
                .reveal();
        String wrong = code.equals("AAAAAA") ? "BBBBBB" : "AAAAAA";

        assertThatThrownBy(() -> admit.verifyInviteCode(scope, user, wrong))
                .isInstanceOfSatisfying(
                        DomainException.class,
                        refusal -> assertThat(refusal.error()).isEqualTo(ErrorCatalogue.INVITE_CODE_INVALID));

        assertThat(admit.findUser(scope, user).orElseThrow().details().sequence())
                .as("the failed attempt is an event of the user's")
                .isEqualTo(3);
        assertThat(admit.verifyInviteCode(scope, user, code).sequence()).isEqualTo(5);
    }

    @Test
    void a_user_outside_the_callers_scope_is_answered_as_missing() {
        OrgId org = freshOrg();
        UserId user = addUser(org, "hedy");
        OrgScope elsewhere = OrgScope.only(freshOrg());

        assertThat(admit.findUser(elsewhere, user)).isEmpty();
        assertThatThrownBy(() -> admit.createInviteCode(elsewhere, user, new InviteDelivery.ReturnCode()))
                .isInstanceOfSatisfying(
                        DomainException.class,
                        refusal -> assertThat(refusal.error()).isEqualTo(ErrorCatalogue.USER_NOT_FOUND));
        assertThatThrownBy(() -> admit.addHumanUser(
                        elsewhere, NewHumanUser.of(org, "Other", "Org", new EmailAddress("other@example.com"))))
                .isInstanceOfSatisfying(
                        DomainException.class,
                        refusal -> assertThat(refusal.error()).isEqualTo(ErrorCatalogue.USER_NOT_FOUND));
        assertThat(admit.listUsers(elsewhere, org, 0, 10).users()).isEmpty();
    }

    @Test
    void an_organizations_users_come_page_by_page_in_id_order() {
        OrgId org = freshOrg();
        List<UserId> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            added.add(addUser(org, "member" + i));
        }
        added.forEach(user -> admit.findUser(OrgScope.any(), user)); // reads bring each row up to date

        UserPage first = admit.listUsers(OrgScope.any(), org, 0, 3);
        UserPage second = admit.listUsers(OrgScope.only(org), org, 3, 3);

        assertThat(first.total()).isEqualTo(5);
        assertThat(first.users()).extracting(UserView::userId).containsExactlyElementsOf(added.subList(0, 3));
        assertThat(second.offset()).isEqualTo(3);
        assertThat(second.users()).extracting(UserView::userId).containsExactlyElementsOf(added.subList(3, 5));
        assertThatThrownBy(() -> admit.listUsers(OrgScope.any(), org, 0, 0)).isInstanceOf(InvalidValueException.class);
    }
}
