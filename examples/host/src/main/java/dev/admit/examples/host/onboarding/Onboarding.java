package dev.admit.examples.host.onboarding;

import dev.admit.domain.invite.InviteCode;
import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.projection.FindUserQuery;
import dev.admit.projection.UserQueries;
import dev.admit.projection.UserView;
import dev.admit.spring.boot.AdmitEngine;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Service;

/** The host's use of Admit in Java: invite a member of a team's organization, let them verify, read them back. */
@Service
public class Onboarding {

    /** A new member and the invite code to hand them. */
    public record Invitation(UserId userId, String code) {}

    private final CommandGateway admit;
    private final UserQueries users;
    private final UserIdGenerator userIds;

    Onboarding(AdmitEngine engine, UserQueries users, UserIdGenerator userIds) {
        this.admit = engine.commandGateway();
        this.users = users;
        this.userIds = userIds;
    }

    public Invitation invite(OrgId org, String givenName, String familyName, String email) {
        UserId userId = userIds.next();
        admit.sendAndWait(new AddHumanUserCommand(
                userId, org, null, givenName, familyName, null, null, new EmailAddress(email), false));
        CreateInviteCodeResult issued = admit.sendAndWait(
                new CreateInviteCodeCommand(userId, OrgScope.only(org), new InviteDelivery.ReturnCode()));
        return new Invitation(userId, issued.returnedCode().map(InviteCode::reveal).orElseThrow());
    }

    public VerifyInviteCodeOutcome verify(OrgId org, UserId userId, String code) {
        return admit.sendAndWait(new VerifyInviteCodeCommand(userId, OrgScope.only(org), code));
    }

    public Optional<UserView> member(OrgId org, UserId userId) {
        return users.find(new FindUserQuery(userId, OrgScope.only(org)));
    }
}
