package dev.admit.service.persistence;

import static dev.admit.service.persistence.ConcurrencySupport.BOUND;
import static dev.admit.service.persistence.ConcurrencySupport.CHECK_FAILED;
import static dev.admit.service.persistence.ConcurrencySupport.CHECK_SUCCEEDED;
import static dev.admit.service.persistence.ConcurrencySupport.CODE_ADDED;
import static dev.admit.service.persistence.ConcurrencySupport.EMAIL_VERIFIED;
import static dev.admit.service.persistence.ConcurrencySupport.HUMAN_ADDED;
import static dev.admit.service.persistence.ConcurrencySupport.assertRaceFollowsTheRules;
import static dev.admit.service.persistence.ConcurrencySupport.brief;
import static dev.admit.service.persistence.ConcurrencySupport.count;
import static dev.admit.service.persistence.ConcurrencySupport.invitedUser;
import static dev.admit.service.persistence.ConcurrencySupport.outcomeOf;
import static dev.admit.service.persistence.ConcurrencySupport.race;
import static dev.admit.service.persistence.ConcurrencySupport.sqlStateIn;
import static dev.admit.service.persistence.ConcurrencySupport.stream;
import static dev.admit.service.persistence.ConcurrencySupport.valuesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.InviteCodeSent;
import dev.admit.domain.message.InviteCodeVerified;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.serialization.EventTypes;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.service.AdmitApplication;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.persistence.ConcurrencySupport.Attempt;
import dev.admit.service.persistence.ConcurrencySupport.InvitedUser;
import dev.admit.service.persistence.ConcurrencySupport.Outcome;
import dev.admit.service.persistence.ConcurrencySupport.StoredEvent;
import dev.admit.spring.boot.AdmitProperties;
import dev.admit.store.ConflictRetry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * Two writers appending the same position of a stream: PostgreSQL's unique key refuses the second (SQLState 23505),
 * Axon turns that into a {@link ConcurrencyException} (or, at position 0, an
 * {@link AggregateStreamCreationException}), and the command gateway retries the losing command against the
 * stream's new state. Within one instance Axon's aggregate lock serializes commands, so only a second writer (a
 * held-open transaction, or a second instance on the same database) reaches this path.
 */
class WriteConflictTest extends AdmitContextTest {

    @Autowired
    CommandGateway commands;

    @Autowired
    UserIdGenerator ids;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventStorageEngine storageEngine;

    @Autowired
    TransactionManager transactionManager;

    @Autowired
    HikariDataSource dataSource;

    @Autowired
    AdmitProperties properties;

    @Test
    void appending_an_already_used_position_of_a_stream_is_a_concurrency_exception() {
        InvitedUser user = invitedUser(commands, ids);
        List<StoredEvent> before = stream(jdbc, user.userId());

        Throwable thrown = catchThrowable(
                () -> transactionManager.executeInTransaction(() -> storageEngine.appendEvents(event(user, 1))));

        assertThat(thrown).as(brief(thrown)).isInstanceOf(ConcurrencyException.class);
        assertThat(sqlStateIn(thrown)).as("PostgreSQL's unique_violation").contains("23505");
        assertThat(stream(jdbc, user.userId())).as("nothing was appended").isEqualTo(before);
    }

    @Test
    void appending_position_zero_of_an_existing_stream_is_an_aggregate_stream_creation_exception() {
        InvitedUser user = invitedUser(commands, ids);
        List<StoredEvent> before = stream(jdbc, user.userId());

        Throwable thrown = catchThrowable(
                () -> transactionManager.executeInTransaction(() -> storageEngine.appendEvents(event(user, 0))));

        assertThat(thrown).as(brief(thrown)).isInstanceOf(AggregateStreamCreationException.class);
        assertThat(sqlStateIn(thrown)).as("PostgreSQL's unique_violation").contains("23505");
        assertThat(ConflictRetry.isWriteConflict(thrown)).isTrue();
        assertThat(stream(jdbc, user.userId())).as("nothing was appended").isEqualTo(before);
    }

    @Test
    void the_same_append_at_the_next_free_position_is_accepted() {
        InvitedUser user = invitedUser(commands, ids);
        List<StoredEvent> before = stream(jdbc, user.userId());

        Transaction transaction = transactionManager.startTransaction();
        try {
            storageEngine.appendEvents(event(user, before.size()));
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM admit.domain_event_entry WHERE aggregate_identifier = ?",
                            Integer.class,
                            user.userId().value()))
                    .as("seen inside the appending transaction")
                    .isEqualTo(before.size() + 1);
        } finally {
            transaction.rollback();
        }
        assertThat(stream(jdbc, user.userId())).isEqualTo(before);
    }

    @Test
    void the_command_gateway_retries_a_write_conflict_reported_by_postgres() {
        InvitedUser user = invitedUser(commands, ids);
        Throwable conflict = catchThrowable(
                () -> transactionManager.executeInTransaction(() -> storageEngine.appendEvents(event(user, 1))));
        assertThat(conflict).isInstanceOf(ConcurrencyException.class);
        RetryScheduler retryScheduler = (RetryScheduler) ReflectionTestUtils.getField(commands, "retryScheduler");
        assertThat(retryScheduler)
                .as("the gateway is configured with a retry scheduler")
                .isNotNull();

        boolean retried = retryScheduler.scheduleRetry(
                GenericCommandMessage.asCommandMessage(
                        new VerifyInviteCodeCommand(user.userId(), OrgScope.any(), user.code())),
                (RuntimeException) conflict,
                List.of(),
                () -> {});

        assertThat(retried)
                .as("a lost race (%s) is scheduled for a retry", brief(conflict))
                .isTrue();
    }

    @Test
    void the_command_gateway_does_not_retry_a_domain_refusal() {
        RetryScheduler retryScheduler = (RetryScheduler) ReflectionTestUtils.getField(commands, "retryScheduler");
        UserId user = ids.next();

        boolean retried = retryScheduler.scheduleRetry(
                GenericCommandMessage.asCommandMessage(new VerifyInviteCodeCommand(user, OrgScope.any(), "AAAAAA")),
                ErrorCatalogue.USERNAME_TAKEN.exception(),
                List.of(),
                () -> {});

        assertThat(retried).isFalse();
    }

    /**
     * Deterministic lost race: another writer holds an uncommitted append of the next two positions (a successful
     * verification, as another instance would write it) while our verification with the right code runs. Ours
     * decides on the committed state, then blocks on the unique key; when the other writer commits, ours gets
     * 23505 and must be retried, and the retry is answered by rule 5.
     */
    @Test
    void a_verification_that_loses_the_race_for_a_stream_position_is_retried_and_answered_by_rule_5() throws Exception {
        InvitedUser user = invitedUser(commands, ids);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        Transaction otherWriter = transactionManager.startTransaction();
        boolean otherWriterDone = false;
        try {
            storageEngine.appendEvents(event(user, 2, new InviteCodeVerified()), event(user, 3, new EmailVerified()));

            Future<VerifyInviteCodeOutcome> verification = caller.submit(() ->
                    commands.sendAndWait(new VerifyInviteCodeCommand(user.userId(), OrgScope.any(), user.code())));
            await().atMost(BOUND).until(() -> appendsWaitingOnALock() > 0);
            otherWriter.commit();
            otherWriterDone = true;

            Outcome<VerifyInviteCodeOutcome> outcome = outcomeOf(verification);
            assertThat(outcome.succeeded())
                    .as(
                            "the losing command must be retried, not answered with the conflict; got %s",
                            outcome.succeeded() ? "" : brief(outcome.failure()))
                    .isTrue();
            assertThat(outcome.value())
                    .isEqualTo(new VerifyInviteCodeOutcome.Rejected(
                            ErrorCatalogue.INVITE_CODE_INVALID, outcome.value().details()));
            assertThat(outcome.value().details().sequence()).isEqualTo(5);
        } finally {
            if (!otherWriterDone) {
                otherWriter.rollback();
            }
            caller.shutdownNow();
            caller.awaitTermination(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        }
        List<StoredEvent> stream = stream(jdbc, user.userId());
        assertThat(stream)
                .extracting(StoredEvent::payloadType)
                .containsExactly(HUMAN_ADDED, CODE_ADDED, CHECK_SUCCEEDED, EMAIL_VERIFIED, CHECK_FAILED);
        assertThat(stream.get(4).reason()).isEqualTo("NO_ACTIVE_CODE");
    }

    @Test
    void two_instances_on_one_database_verify_a_user_exactly_once() throws Exception {
        ConfigurableApplicationContext second = null;
        try {
            second = new SpringApplicationBuilder(AdmitApplication.class)
                    .properties(
                            "spring.datasource.url=" + dataSource.getJdbcUrl(),
                            "spring.datasource.username=postgres",
                            // the first instance's key file, in the data directory both share
                            "admit.crypto.allow-generated-keys=true",
                            "spring.datasource.password="
                                    + java.nio.file.Files.readString(properties
                                                    .dataDir()
                                                    .resolve(dev.admit.embedded.LockedEmbeddedPostgres.PASSWORD_FILE))
                                            .strip(),
                            "admit.data-dir=" + properties.dataDir().toAbsolutePath(),
                            "spring.flyway.enabled=false",
                            "admit.server.port=0",
                            "spring.main.banner-mode=off")
                    .run();
            CommandGateway secondCommands = second.getBean(CommandGateway.class);
            assertThat(secondCommands).isNotSameAs(commands);
            assertThat(second.getBean(HikariDataSource.class)).isNotSameAs(dataSource);

            for (int round = 0; round < 3; round++) {
                InvitedUser user = invitedUser(commands, ids);
                List<Callable<VerifyInviteCodeOutcome>> racers = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    CommandGateway instance = i % 2 == 0 ? commands : secondCommands;
                    racers.add(() -> instance.sendAndWait(
                            new VerifyInviteCodeCommand(user.userId(), OrgScope.any(), user.code())));
                }

                List<VerifyInviteCodeOutcome> answers = valuesOf(race(racers));

                assertThat(answers)
                        .filteredOn(VerifyInviteCodeOutcome.Verified.class::isInstance)
                        .hasSize(1);
                assertThat(answers)
                        .filteredOn(VerifyInviteCodeOutcome.Rejected.class::isInstance)
                        .hasSize(31)
                        .allSatisfy(answer -> assertThat(((VerifyInviteCodeOutcome.Rejected) answer).error())
                                .isEqualTo(ErrorCatalogue.INVITE_CODE_INVALID));
                List<StoredEvent> stream = stream(jdbc, user.userId());
                assertThat(count(stream, CHECK_SUCCEEDED)).isEqualTo(1);
                assertThat(count(stream, CHECK_FAILED)).isEqualTo(31);
                assertRaceFollowsTheRules(
                        stream,
                        1,
                        answers.stream()
                                .map(answer -> new Attempt(true, answer))
                                .toList(),
                        properties.invite().maxAttempts());
            }
        } finally {
            if (second != null) {
                second.close();
            }
        }
    }

    private static DomainEventMessage<?> event(InvitedUser user, long sequence) {
        return event(user, sequence, new InviteCodeSent());
    }

    private static DomainEventMessage<?> event(InvitedUser user, long sequence, Object payload) {
        UserId id = user.userId();
        return new GenericDomainEventMessage<>(EventTypes.USER_AGGREGATE_TYPE, id.value(), sequence, payload);
    }

    /** Backends of this database blocked on a lock while inserting into the event table. */
    private int appendsWaitingOnALock() {
        return jdbc.queryForObject("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'
                  AND query ILIKE 'INSERT INTO admit.domain_event_entry%'
                """, Integer.class);
    }
}
