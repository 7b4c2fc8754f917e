package dev.admit.service.persistence;

import static dev.admit.service.persistence.ProjectionTestSupport.addUser;
import static dev.admit.service.persistence.ProjectionTestSupport.freshOrg;
import static dev.admit.service.persistence.ProjectionTestSupport.globalIndexOf;
import static dev.admit.service.persistence.ProjectionTestSupport.row;
import static dev.admit.service.persistence.ProjectionTestSupport.segmentOf;
import static dev.admit.service.persistence.ProjectionTestSupport.streamLength;
import static dev.admit.service.persistence.ProjectionTestSupport.tokenPositions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.persistence.ProjectionTestSupport.Row;
import java.time.Duration;
import java.util.OptionalLong;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A fault that is not the event's (here the table is gone for a while, as in a botched migration) never skips an
 * event and parks nothing: the processor stays before the event until it can be applied, then applies it by itself.
 * The table is watched directly; reads through the query would fail as well while the fault lasts. Events that can
 * never be applied are parked instead: ParkedEventsTest.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProjectionErrorTest extends AdmitContextTest {

    @Autowired
    CommandGateway commands;

    @Autowired
    UserIdGenerator ids;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Serializer serializer;

    @Test
    void a_passing_fault_blocks_the_processor_before_the_event_parks_nothing_and_is_applied_once_it_passes(
            CapturedOutput output) {
        OrgId org = freshOrg();
        UserId user = ids.next();
        addUser(commands, user, org, false);
        String code = commands.<CreateInviteCodeResult>sendAndWait(
                        new CreateInviteCodeCommand(user, OrgScope.any(), new InviteDelivery.ReturnCode()))
                .returnedCode()
                .orElseThrow()
                .reveal();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> row(jdbc, user).map(Row::sequence).orElse(0L) == 2);

        VerifyInviteCodeOutcome verified;
        try {
            jdbc.execute("ALTER TABLE admit.users RENAME TO users_away");
            int renamedAt = output.getOut().length();

            verified = commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), code));
            assertThat(verified).isInstanceOf(VerifyInviteCodeOutcome.Verified.class);
            assertThat(verified.details().sequence()).isEqualTo(4).isEqualTo(streamLength(jdbc, user));
            long blockedEvent = globalIndexOf(jdbc, user, 4);
            int segment = segmentOf(jdbc, user);

            // the processor tried the batch and failed twice: it retries and never skips
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> output.getOut().substring(renamedAt).split("Aborting Work Package", -1).length > 2);
            Row row = jdbc.queryForObject(
                    "SELECT sequence, email_verified FROM admit.users_away WHERE user_id = ?",
                    (rs, i) -> new Row(rs.getLong(1), null, rs.getBoolean(2), null),
                    user.value());
            assertThat(row.emailVerified()).isFalse();
            assertThat(row.sequence()).isLessThan(4);
            OptionalLong position = tokenPositions(jdbc, serializer).get(segment);
            assertThat(position).isPresent();
            assertThat(position.getAsLong())
                    .as("the token of the segment holding the user never moves past the failing event")
                    .isLessThan(blockedEvent);
        } finally {
            jdbc.execute("ALTER TABLE IF EXISTS admit.users_away RENAME TO users");
        }

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(row(jdbc, user)).hasValueSatisfying(row -> {
                    assertThat(row.emailVerified()).isTrue();
                    assertThat(row.sequence()).isEqualTo(4).isEqualTo(streamLength(jdbc, user));
                    assertThat(row.changeDate()).isEqualTo(verified.details().changeDate());
                }));
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM admit.users_parked_events WHERE user_id = ?", Long.class, user.value()))
                .isZero();
    }
}
