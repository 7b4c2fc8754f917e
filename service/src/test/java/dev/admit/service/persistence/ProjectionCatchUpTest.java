package dev.admit.service.persistence;

import static dev.admit.service.persistence.ProjectionTestSupport.addUser;
import static dev.admit.service.persistence.ProjectionTestSupport.append;
import static dev.admit.service.persistence.ProjectionTestSupport.freshOrg;
import static dev.admit.service.persistence.ProjectionTestSupport.row;
import static dev.admit.service.persistence.ProjectionTestSupport.streamLength;
import static dev.admit.service.persistence.ProjectionTestSupport.usersProcessor;
import static dev.admit.service.persistence.ProjectionTestSupport.wrongCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.admit.domain.message.ConfirmInviteCodeSentCommand;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasskeyAdded;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.ResendInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.message.WriteDetails;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.projection.UsersProjectionReplay;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.persistence.ProjectionTestSupport.Row;
import dev.admit.store.axon.SharedEventResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The users processor on its own catches every row up to its stream: after being stopped, and across events that
 * commit late into a gap of the global index. Rows are checked in the table directly, never through the
 * read-your-writes query (which would catch a row up itself).
 */
class ProjectionCatchUpTest extends AdmitContextTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    @Autowired
    CommandGateway commands;

    @Autowired
    UserIdGenerator ids;

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    UsersProjectionReplay replay;

    @Autowired
    EventStore eventStore;

    @Autowired
    TransactionManager transactions;

    @Autowired
    JdbcTemplate jdbc;

    /** The row a user's stream must produce. */
    private record Expected(long sequence, Instant changeDate, boolean emailVerified) {

        static Expected of(WriteDetails details, boolean emailVerified) {
            return new Expected(details.sequence(), details.changeDate(), emailVerified);
        }
    }

    @Test
    void a_restarted_users_processor_brings_every_row_to_its_streams_sequence_without_reads_helping() {
        OrgId org = freshOrg();
        Map<UserId, Expected> expected = new LinkedHashMap<>();
        StreamingEventProcessor processor = usersProcessor(processing);
        processor.shutDown();
        try {
            for (int i = 0; i < 30; i++) {
                UserId user = ids.next();
                boolean verifiedOnCreation = i % 5 == 0;
                WriteDetails last =
                        addUser(commands, user, org, verifiedOnCreation).details();
                boolean verified = verifiedOnCreation;
                switch (i % 4) {
                    case 0 -> {
                        String code = commands.<CreateInviteCodeResult>sendAndWait(new CreateInviteCodeCommand(
                                        user, OrgScope.any(), new InviteDelivery.ReturnCode()))
                                .returnedCode()
                                .orElseThrow()
                                .reveal();
                        commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), wrongCode(code)));
                        VerifyInviteCodeOutcome outcome =
                                commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), code));
                        assertThat(outcome).isInstanceOf(VerifyInviteCodeOutcome.Verified.class);
                        last = outcome.details();
                        verified = true;
                    }
                    case 1 -> {
                        WriteDetails created = commands.<CreateInviteCodeResult>sendAndWait(new CreateInviteCodeCommand(
                                        user, OrgScope.any(), InviteDelivery.SendCode.withDefaults()))
                                .details();
                        commands.sendAndWait(new ConfirmInviteCodeSentCommand(user, created.sequence()));
                        WriteDetails resent = commands.sendAndWait(new ResendInviteCodeCommand(user, OrgScope.any()));
                        last = commands.sendAndWait(new ConfirmInviteCodeSentCommand(user, resent.sequence()));
                    }
                    case 2 -> {
                        append(
                                eventStore,
                                transactions,
                                user,
                                new PasswordChanged("$argon2id$stub", false),
                                new PasskeyAdded("passkey-" + i));
                        last = null;
                    }
                    default -> {
                        // the user's creation only
                    }
                }
                expected.put(
                        user,
                        last == null
                                ? new Expected(streamLength(jdbc, user), null, verified)
                                : Expected.of(last, verified));
            }
            assertThat(expected.keySet())
                    .as("the stopped processor applied nothing")
                    .allSatisfy(user -> assertThat(row(jdbc, user)).isEmpty());
        } finally {
            processor.start();
        }

        await().atMost(CATCH_UP)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(expected).allSatisfy((user, want) -> {
                    Row row = row(jdbc, user).orElseThrow(() -> new AssertionError("no row yet for " + user));
                    assertThat(row.sequence()).isEqualTo(want.sequence()).isEqualTo(streamLength(jdbc, user));
                    assertThat(row.emailVerified()).isEqualTo(want.emailVerified());
                    if (want.changeDate() != null) {
                        assertThat(row.changeDate()).isEqualTo(want.changeDate());
                    }
                }));
    }

    @Test
    void an_event_committed_late_into_a_gap_of_the_global_index_is_still_applied() throws Exception {
        OrgId org = freshOrg();
        UserId late = ids.next();
        addUser(commands, late, org, false);
        awaitRowAt(late, 1);

        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            LateAppend append = holdAppendOpen(writer, late);
            UserId meanwhile = ids.next();
            addUser(commands, meanwhile, org, false);
            awaitRowAt(meanwhile, 1);
            assertThat(row(jdbc, late).orElseThrow().sequence())
                    .as("the open transaction's event is not visible yet")
                    .isEqualTo(1);

            append.commit();

            await().atMost(CATCH_UP)
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(row(jdbc, late)).hasValueSatisfying(row -> {
                        assertThat(row.sequence()).isEqualTo(2);
                        assertThat(row.emailVerified()).isTrue();
                    }));
        } finally {
            ProjectionTestSupport.shutDown(writer);
        }
    }

    @Test
    void caught_up_is_not_reported_while_an_event_committed_late_into_a_gap_is_still_unapplied() throws Exception {
        OrgId org = freshOrg();
        UserId late = ids.next();
        addUser(commands, late, org, false);
        awaitRowAt(late, 1);

        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            LateAppend append = holdAppendOpen(writer, late);
            UserId meanwhile = ids.next();
            addUser(commands, meanwhile, org, false);
            awaitRowAt(meanwhile, 1);
            await().atMost(CATCH_UP).until(replay::isCaughtUp);

            append.commit();
            boolean caughtUp = replay.isCaughtUp();
            Optional<Row> row = row(jdbc, late);
            // the event is not lost: the processor applies it a little later in any case
            await().atMost(CATCH_UP)
                    .until(() -> row(jdbc, late).map(Row::sequence).orElse(0L) == 2);

            assertThat(caughtUp && row.orElseThrow().sequence() < 2)
                    .as(
                            "isCaughtUp() answered %s although the row of %s was at %s of 2 events stored",
                            caughtUp, late, row.map(Row::sequence).orElse(0L))
                    .isFalse();
        } finally {
            ProjectionTestSupport.shutDown(writer);
        }
    }

    @Test
    void the_processor_reads_through_a_stream_of_its_own_with_no_shared_read_ahead_to_hold_events() {
        // Axon's shared read-ahead (a thread of the event store's own group) keeps every event it fetched after
        // the slowest reader's position; behind a backlog that filled a 256 MB heap
        StreamingEventProcessor processor = usersProcessor(processing);
        processor.shutDown();
        UserId user = ids.next();
        long sequence;
        try {
            sequence = addUser(commands, user, freshOrg(), false).details().sequence();
        } finally {
            processor.start();
        }
        awaitRowAt(user, sequence);

        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getThreadGroup() != null
                        && thread.getThreadGroup().getName().equals(EmbeddedEventStore.class.getSimpleName()));
    }

    @Test
    void the_processor_answers_every_event_with_the_shared_result_before_any_other_interceptor_runs() {
        // outermost, so that Axon's batching unit of work never wraps a handler's null in a message of its own
        assertThat(((AbstractEventProcessor) usersProcessor(processing)).getHandlerInterceptors())
                .first()
                .isInstanceOf(SharedEventResult.class);
    }

    private void awaitRowAt(UserId user, long sequence) {
        await().atMost(CATCH_UP)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> row(jdbc, user).map(Row::sequence).orElse(0L) >= sequence);
    }

    /** An {@code email.verified} appended to a user's stream in a transaction that stays open until committed. */
    private final class LateAppend {
        private final CountDownLatch appended = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private Future<?> done;

        void commit() throws Exception {
            release.countDown();
            done.get(30, TimeUnit.SECONDS);
        }
    }

    private LateAppend holdAppendOpen(ExecutorService writer, UserId user) throws InterruptedException {
        LateAppend late = new LateAppend();
        late.done = writer.submit(() -> {
            Transaction transaction = transactions.startTransaction();
            try {
                append(eventStore, transactions, user, new EmailVerified());
                late.appended.countDown();
                if (!late.release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the late append was never released");
                }
                transaction.commit();
            } catch (Throwable failure) {
                transaction.rollback();
                throw failure;
            }
            return null;
        });
        assertThat(late.appended.await(30, TimeUnit.SECONDS)).isTrue();
        return late;
    }
}
