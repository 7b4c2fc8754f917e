package dev.admit.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.core.api.Admit;
import dev.admit.core.api.NewHumanUser;
import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.WriteDetails;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.projection.UserView;
import dev.admit.projection.UsersProjectionReplay;
import dev.admit.test.ThrowawayPostgres;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The code of docs/embedding.md, run: DocsMatchCodeTest keeps the page's blocks equal to the tagged parts here. */
@SpringBootTest(properties = {"admit.server.enabled=false", "admit.crypto.allow-generated-keys=true"})
@ExtendWith(ThrowawayPostgres.class)
class EmbeddingGuideExamplesTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        ThrowawayPostgres.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        String dir = HostTestSupport.freshDataDir("guide").toString();
        registry.add("admit.data-dir", () -> dir);
    }

    @Autowired
    Admit admit;

    @Autowired
    UsersProjectionReplay replay;

    @Test
    void the_invite_flow() {
        // tag::invite-flow[]
        OrgId org = new OrgId("69629012906488334");
        OrgScope scope = OrgScope.only(org); // the caller may act within this organization only

        UserId ada = admit.addHumanUser(
                        scope, NewHumanUser.of(org, "Ada", "Lovelace", new EmailAddress("ada@example.com")))
                .userId();
        String code = admit.createInviteCode(scope, ada, new InviteDelivery.ReturnCode())
                .returnedCode()
                .orElseThrow()
                .reveal(); // hand it to Ada; InviteDelivery.SendCode mails it instead

        WriteDetails verified = admit.verifyInviteCode(scope, ada, code);

        UserView read = admit.findUser(scope, ada).orElseThrow();
        assert read.emailVerified();
        assert read.details().sequence() == verified.sequence(); // a read shows every write that returned
        // end::invite-flow[]
        assertThat(read.emailVerified()).isTrue();
        assertThat(read.details().changeDate()).isEqualTo(verified.changeDate());
    }

    @Test
    void a_rejected_verification() {
        OrgId org = new OrgId("69629012906488334");
        OrgScope scope = OrgScope.only(org);
        UserId ada = admit.addHumanUser(
                        scope, NewHumanUser.of(org, "Ada", "Byron", new EmailAddress("byron@example.com")))
                .userId();
        String code = admit.createInviteCode(scope, ada, new InviteDelivery.ReturnCode())
                .returnedCode()
                .orElseThrow()
                .reveal();
        String typed = code.equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
        String answer;
        // tag::rejected[]
        try {
            admit.verifyInviteCode(scope, ada, typed);
            answer = "verified";
        } catch (DomainException refused) {
            // the attempt is recorded (three wrong ones end the code) before the refusal is thrown
            answer = switch (refused.error()) {
                case INVITE_CODE_INVALID -> "wrong code";
                case INVITE_CODE_EXPIRED -> "code expired: ask for a new one";
                case USER_NOT_FOUND_ON_VERIFY -> "no such user";
                default -> refused.error().wireMessage(); // e.g. "Code is invalid (COMMAND-Wgn4q)"
            };
        }
        // end::rejected[]
        assertThat(answer).isEqualTo("wrong code");
        assertThat(admit.findUser(scope, ada).orElseThrow().details().sequence()).isEqualTo(3);
        assertThat(ErrorCatalogue.INVITE_CODE_INVALID.id()).isEqualTo("COMMAND-Wgn4q");
    }

    @Test
    void a_rebuild_of_the_users_projection() throws Exception {
        OrgId org = new OrgId("4711");
        UserId grace = admit.addHumanUser(
                        OrgScope.any(), NewHumanUser.of(org, "Grace", "Hopper", new EmailAddress("grace@example.com")))
                .userId();
        // tag::rebuild[]
        long applied = replay.rebuild(); // builds a shadow table, swaps it in, returns once caught up
        replay.awaitCaughtUp(Duration.ofMinutes(1)); // later writes: wait for the processor as after any write
        // end::rebuild[]
        assertThat(applied).isPositive();
        assertThat(replay.isCaughtUp()).isTrue();
        assertThat(admit.listUsers(OrgScope.any(), org, 0, 10).users())
                .extracting(UserView::userId)
                .containsExactly(grace);
    }
}
