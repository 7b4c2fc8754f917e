package dev.admit.service.persistence;

import static dev.admit.service.persistence.ConcurrencySupport.CHECK_FAILED;
import static dev.admit.service.persistence.ConcurrencySupport.CHECK_SUCCEEDED;
import static dev.admit.service.persistence.ConcurrencySupport.EMAIL_VERIFIED;
import static dev.admit.service.persistence.ConcurrencySupport.assertRaceFollowsTheRules;
import static dev.admit.service.persistence.ConcurrencySupport.count;
import static dev.admit.service.persistence.ConcurrencySupport.invitedUser;
import static dev.admit.service.persistence.ConcurrencySupport.race;
import static dev.admit.service.persistence.ConcurrencySupport.stream;
import static dev.admit.service.persistence.ConcurrencySupport.valuesOf;
import static dev.admit.service.persistence.ConcurrencySupport.wrongCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.persistence.ConcurrencySupport.Attempt;
import dev.admit.service.persistence.ConcurrencySupport.InvitedUser;
import dev.admit.service.persistence.ConcurrencySupport.StoredEvent;
import dev.admit.spring.boot.AdmitProperties;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * behaviour.md §3: "Two concurrent verifications of one user with the right code: exactly one succeeds, the other
 * is answered by rule 5; no stream ever holds two check.succeeded for one code" — with 32 racers through the
 * command gateway of one instance, on PostgreSQL.
 */
class ConcurrentVerificationTest extends AdmitContextTest {

    private static final int RACERS = 32;

    @Autowired
    CommandGateway commands;

    @Autowired
    UserIdGenerator ids;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AdmitProperties properties;

    @RepeatedTest(5)
    void thirty_two_concurrent_verifications_with_the_right_code_give_exactly_one_success() throws Exception {
        InvitedUser user = invitedUser(commands, ids);
        Callable<VerifyInviteCodeOutcome> verify =
                () -> commands.sendAndWait(new VerifyInviteCodeCommand(user.userId(), OrgScope.any(), user.code()));

        List<VerifyInviteCodeOutcome> answers = valuesOf(race(Collections.nCopies(RACERS, verify)));

        assertThat(answers)
                .filteredOn(VerifyInviteCodeOutcome.Verified.class::isInstance)
                .hasSize(1);
        assertThat(answers)
                .filteredOn(VerifyInviteCodeOutcome.Rejected.class::isInstance)
                .hasSize(RACERS - 1)
                .allSatisfy(answer -> assertThat(((VerifyInviteCodeOutcome.Rejected) answer).error())
                        .isEqualTo(ErrorCatalogue.INVITE_CODE_INVALID));
        assertThat(answers)
                .extracting(answer -> answer.details().sequence())
                .as("each racer is answered with the details of its own events")
                .doesNotHaveDuplicates();

        List<StoredEvent> stream = stream(jdbc, user.userId());
        ConcurrencySupport.assertGaplessFromZero(stream);
        assertThat(stream).hasSize(2 + 2 + (RACERS - 1));
        assertThat(count(stream, CHECK_SUCCEEDED)).isEqualTo(1);
        assertThat(count(stream, EMAIL_VERIFIED)).isEqualTo(1);
        assertThat(count(stream, CHECK_FAILED)).isEqualTo(RACERS - 1);
        assertThat(stream)
                .filteredOn(event -> event.payloadType().equals(CHECK_FAILED))
                .as("the losers are answered by rule 5: no active code")
                .allSatisfy(event -> assertThat(event.reason()).isEqualTo("NO_ACTIVE_CODE"));
        assertRaceFollowsTheRules(
                stream,
                1,
                answers.stream().map(answer -> new Attempt(true, answer)).toList(),
                properties.invite().maxAttempts());
    }

    @RepeatedTest(3)
    void concurrent_right_and_wrong_codes_are_decided_one_at_a_time_in_stream_order() throws Exception {
        InvitedUser user = invitedUser(commands, ids);
        List<Boolean> right =
                IntStream.range(0, RACERS).mapToObj(i -> i % 2 == 0).toList();
        List<Callable<VerifyInviteCodeOutcome>> racers = new ArrayList<>();
        for (boolean isRight : right) {
            String code = isRight ? user.code() : wrongCode(user.code());
            racers.add(() -> commands.sendAndWait(new VerifyInviteCodeCommand(user.userId(), OrgScope.any(), code)));
        }

        List<VerifyInviteCodeOutcome> answers = valuesOf(race(racers));

        assertThat(answers)
                .filteredOn(VerifyInviteCodeOutcome.Verified.class::isInstance)
                .hasSizeLessThanOrEqualTo(1);
        List<Attempt> attempts = IntStream.range(0, RACERS)
                .mapToObj(i -> new Attempt(right.get(i), answers.get(i)))
                .toList();
        // which racer wins is up to the scheduler; whatever the order, each decision follows the rules
        assertRaceFollowsTheRules(
                stream(jdbc, user.userId()), 1, attempts, properties.invite().maxAttempts());
    }
}
