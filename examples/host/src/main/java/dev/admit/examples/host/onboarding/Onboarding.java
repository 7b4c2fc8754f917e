package dev.admit.examples.host.onboarding;

import dev.admit.core.api.Admit;
import dev.admit.core.api.NewHumanUser;
import dev.admit.domain.invite.InviteCode;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.WriteDetails;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.projection.UserView;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** The host's use of Admit in Java: invite a member of a team's organization, let them verify, read them back. */
@Service
public class Onboarding {

    /** A new member and the invite code to hand them. */
    public record Invitation(UserId userId, String code) {}

    private final Admit admit;

    Onboarding(Admit admit) {
        this.admit = admit;
    }

    public Invitation invite(OrgId org, String givenName, String familyName, String email) {
        OrgScope scope = OrgScope.only(org);
        UserId userId = admit.addHumanUser(scope, NewHumanUser.of(org, givenName, familyName, new EmailAddress(email)))
                .userId();
        String code = admit.createInviteCode(scope, userId, new InviteDelivery.ReturnCode())
                .returnedCode()
                .map(InviteCode::reveal)
                .orElseThrow();
        return new Invitation(userId, code);
    }

    /** Verifies the member's code; a wrong or expired one throws Admit's DomainException. */
    public WriteDetails verify(OrgId org, UserId userId, String code) {
        return admit.verifyInviteCode(OrgScope.only(org), userId, code);
    }

    public Optional<UserView> member(OrgId org, UserId userId) {
        return admit.findUser(OrgScope.only(org), userId);
    }
}
