package dev.admit.examples.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.user.OrgId;
import dev.admit.examples.host.onboarding.Onboarding;
import dev.admit.examples.host.team.CreateTeamCommand;
import dev.admit.examples.host.team.TeamNames;
import dev.admit.projection.UserView;
import java.time.Duration;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.context.ApplicationContext;

/** The invite flow through the host's Java use of Admit, beside the host's own aggregate. */
final class InviteFlowInJava {

    private InviteFlowInJava() {}

    static void runsBesideTheHostsOwnAggregate(ApplicationContext context) throws InterruptedException {
        Onboarding onboarding = context.getBean(Onboarding.class);
        OrgId org = new OrgId("69629012906488334");

        Onboarding.Invitation invitation = onboarding.invite(org, "Ada", "Lovelace", "ada-" + UUID.randomUUID() + "@example.com");
        String wrong = invitation.code().equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
        assertThatThrownBy(() -> onboarding.verify(org, invitation.userId(), wrong))
                .isInstanceOfSatisfying(
                        DomainException.class,
                        refusal -> assertThat(refusal.error()).isEqualTo(ErrorCatalogue.INVITE_CODE_INVALID));
        assertThat(onboarding.verify(org, invitation.userId(), invitation.code()).sequence())
                .isEqualTo(5);
        UserView member = onboarding.member(org, invitation.userId()).orElseThrow();
        assertThat(member.emailVerified()).isTrue();
        assertThat(member.details().sequence()).isEqualTo(5);

        // the host's own command gateway (the only one in the context) reaches the host's own aggregate
        String teamId = UUID.randomUUID().toString();
        context.getBean(CommandGateway.class).sendAndWait(new CreateTeamCommand(teamId, "Analytical Engines"));
        TeamNames teams = context.getBean(TeamNames.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (teams.nameOf(teamId).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(teams.nameOf(teamId)).contains("Analytical Engines");
    }
}
