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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A failure while projecting an event never skips it: the processor stays before the event until it can be applied,
 * then applies it by itself. The table is watched directly; reads through the query would fail as well while the
 * failure lasts, and would catch the row up themselves.
 */
class ProjectionErrorTest extends AdmitContextTest {

    private static final String CONSTRAINT = "test_block_email_verified";

    @Autowired
    CommandGateway commands;

    @Autowired
    UserIdGenerator ids;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Serializer serializer;

    @Test
    void a_failing_projection_update_blocks_the_processor_before_the_event_and_is_applied_once_it_can_be() {
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
            jdbc.execute("ALTER TABLE admit.users ADD CONSTRAINT " + CONSTRAINT + " CHECK (user_id <> '" + user.value()
                    + "' OR email_verified = false)");

            verified = commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), code));
            assertThat(verified).isInstanceOf(VerifyInviteCodeOutcome.Verified.class);
            assertThat(verified.details().sequence()).isEqualTo(4).isEqualTo(streamLength(jdbc, user));
            long blockedEvent = globalIndexOf(jdbc, user, 4);
            int segment = segmentOf(jdbc, user);

            await().during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(8))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        Row row = row(jdbc, user).orElseThrow();
                        assertThat(row.emailVerified()).isFalse();
                        assertThat(row.sequence()).isLessThan(4);
                        OptionalLong position = tokenPositions(jdbc, serializer).get(segment);
                        assertThat(position).isPresent();
                        assertThat(position.getAsLong())
                                .as("the token of the segment holding the user never moves past the failing event")
                                .isLessThan(blockedEvent);
                    });
        } finally {
            jdbc.execute("ALTER TABLE admit.users DROP CONSTRAINT IF EXISTS " + CONSTRAINT);
        }

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(row(jdbc, user)).hasValueSatisfying(row -> {
                    assertThat(row.emailVerified()).isTrue();
                    assertThat(row.sequence()).isEqualTo(4).isEqualTo(streamLength(jdbc, user));
                    assertThat(row.changeDate()).isEqualTo(verified.details().changeDate());
                }));
    }
}
