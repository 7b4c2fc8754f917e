package dev.admit.service.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.AddHumanUserResult;
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
import dev.admit.service.AdmitContextTest;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The worked example of behaviour.md §7, through the command gateway and the users query, on PostgreSQL. */
class WorkedExampleOnPostgresTest extends AdmitContextTest {

    @Autowired
    CommandGateway commands;

    @Autowired
    UserQueries queries;

    @Autowired
    UserIdGenerator ids;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void the_worked_example_appends_the_documented_events_and_reads_back_its_details() {
        OrgId org = new OrgId("69629012906488334");
        UserId user = ids.next();

        AddHumanUserResult added = commands.sendAndWait(new AddHumanUserCommand(
                user, org, null, "Ada", "Lovelace", null, "en", new EmailAddress(user + "@example.com"), false));
        assertThat(added.details().sequence()).isEqualTo(1);

        CreateInviteCodeResult created = commands.sendAndWait(
                new CreateInviteCodeCommand(user, OrgScope.any(), new InviteDelivery.ReturnCode()));
        assertThat(created.details().sequence()).isEqualTo(2);
        String code = created.returnedCode().orElseThrow().reveal();

        VerifyInviteCodeOutcome wrong =
                commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), wrongCode(code)));
        assertThat(wrong)
                .isEqualTo(new VerifyInviteCodeOutcome.Rejected(ErrorCatalogue.INVITE_CODE_INVALID, wrong.details()));
        assertThat(wrong.details().sequence()).isEqualTo(3);

        VerifyInviteCodeOutcome right = commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), code));
        assertThat(right).isInstanceOf(VerifyInviteCodeOutcome.Verified.class);
        assertThat(right.details().sequence()).isEqualTo(5);
        assertThat(right.details().resourceOwner()).isEqualTo(org);

        UserView view = queries.find(new FindUserQuery(user, OrgScope.any())).orElseThrow();
        assertThat(view.emailVerified()).isTrue();
        assertThat(view.details().sequence()).isEqualTo(5);
        assertThat(view.details().changeDate()).isEqualTo(right.details().changeDate());

        VerifyInviteCodeOutcome again = commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), code));
        assertThat(again)
                .isEqualTo(new VerifyInviteCodeOutcome.Rejected(ErrorCatalogue.INVITE_CODE_INVALID, again.details()));
        assertThat(again.details().sequence()).isEqualTo(6);

        List<String> types = jdbc.queryForList(
                "SELECT payload_type FROM admit.domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number",
                String.class,
                user.value());
        assertThat(types)
                .containsExactly(
                        "user.human.added",
                        "user.human.invite.code.added",
                        "user.human.invite.check.failed",
                        "user.human.invite.check.succeeded",
                        "user.human.email.verified",
                        "user.human.invite.check.failed");
        assertThat(jdbc.queryForObject(
                        "SELECT DISTINCT type FROM admit.domain_event_entry WHERE aggregate_identifier = ?",
                        String.class,
                        user.value()))
                .isEqualTo("user");
    }

    private static String wrongCode(String code) {
        return code.equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
    }
}
