package dev.admit.service.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.domain.user.Username;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Shared helpers of the concurrency tests: racing tasks released together, reading a stream back from PostgreSQL,
 * and checking a verification race against the rules of behaviour.md §3, event by event.
 */
final class ConcurrencySupport {

    /** The longest any single wait may take: a guard against hanging, never an assertion about speed. */
    static final Duration BOUND = Duration.ofSeconds(60);

    static final String HUMAN_ADDED = "user.human.added";
    static final String EMAIL_VERIFIED = "user.human.email.verified";
    static final String CODE_ADDED = "user.human.invite.code.added";
    static final String CHECK_SUCCEEDED = "user.human.invite.check.succeeded";
    static final String CHECK_FAILED = "user.human.invite.check.failed";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConcurrencySupport() {}

    /** What one racing task came to: its value, or what it threw (never both). */
    record Outcome<T>(T value, Throwable failure) {

        boolean succeeded() {
            return failure == null;
        }
    }

    /**
     * Runs every task on a thread of its own; all threads wait at one gate, which opens once each is ready, so the
     * tasks really start together. Returns the outcomes in the order of the tasks.
     */
    static <T> List<Outcome<T>> race(List<? extends Callable<T>> tasks) throws InterruptedException {
        int parallelism = tasks.size();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        CountDownLatch ready = new CountDownLatch(parallelism);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    if (!start.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("the start gate never opened");
                    }
                    return task.call();
                }));
            }
            assertThat(ready.await(BOUND.toMillis(), TimeUnit.MILLISECONDS))
                    .as("all %d racers are at the start gate", parallelism)
                    .isTrue();
            start.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<T> future : futures) {
                outcomes.add(outcomeOf(future));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Waits (bounded) for a task and returns its outcome. */
    static <T> Outcome<T> outcomeOf(Future<T> future) throws InterruptedException {
        try {
            return new Outcome<>(future.get(BOUND.toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (ExecutionException e) {
            return new Outcome<>(null, e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("a task did not finish within " + BOUND, e);
        }
    }

    /** The values of outcomes that must all have succeeded; a failure fails the test with its cause chain. */
    static <T> List<T> valuesOf(List<Outcome<T>> outcomes) {
        List<String> failures = outcomes.stream()
                .filter(outcome -> !outcome.succeeded())
                .map(outcome -> brief(outcome.failure()))
                .toList();
        assertThat(failures)
                .as("no racer may fail, but %d of %d did", failures.size(), outcomes.size())
                .isEmpty();
        return outcomes.stream().map(Outcome::value).toList();
    }

    /** The classes of a cause chain and the first line of its top message, short enough for a list. */
    static String brief(Throwable failure) {
        if (failure == null) {
            return "nothing thrown";
        }
        StringBuilder chain = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (!chain.isEmpty()) {
                chain.append(" <- ");
            }
            chain.append(cause.getClass().getSimpleName());
            if (cause.getCause() == cause) {
                break;
            }
        }
        String message =
                String.valueOf(failure.getMessage()).lines().findFirst().orElse("");
        return chain + ": " + (message.length() > 160 ? message.substring(0, 160) + "..." : message);
    }

    /** The {@link DomainException} in the cause chain of {@code failure}; fails the test if there is none. */
    static DomainException domainExceptionIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DomainException domain) {
                return domain;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        throw new AssertionError("no DomainException in " + brief(failure), failure);
    }

    /** The SQLState of the first SQL exception in the cause chain, if any. */
    static Optional<String> sqlStateIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }

    // --- users

    static OrgId freshOrg(UserIdGenerator ids) {
        return new OrgId("org-" + ids.next());
    }

    /** An AddHumanUser with a unique email; {@code username} {@code null} means the default (the email). */
    static AddHumanUserCommand addHuman(UserId user, OrgId org, String username) {
        return new AddHumanUserCommand(
                user,
                org,
                username == null ? null : new Username(username),
                "Ada",
                "Lovelace",
                null,
                "en",
                new EmailAddress(user + "@example.com"),
                false);
    }

    /** A user that was added and given a returned invite code: its stream holds exactly those two events. */
    record InvitedUser(UserId userId, OrgId orgId, String code) {}

    static InvitedUser invitedUser(CommandGateway commands, UserIdGenerator ids) {
        UserId user = ids.next();
        OrgId org = freshOrg(ids);
        commands.sendAndWait(addHuman(user, org, null));
        CreateInviteCodeResult created = commands.sendAndWait(
                new CreateInviteCodeCommand(user, OrgScope.any(), new InviteDelivery.ReturnCode()));
        assertThat(created.details().sequence()).isEqualTo(2);
        return new InvitedUser(user, org, created.returnedCode().orElseThrow().reveal());
    }

    /** A code of the right shape that is certainly not {@code code}. */
    static String wrongCode(String code) {
        return code.equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
    }

    // --- the stored stream

    /** One row of {@code domain_event_entry}, its payload as text. */
    record StoredEvent(long sequenceNumber, String payloadType, String payload) {

        /** The {@code reason} of an {@code invite.check.failed}. */
        String reason() {
            try {
                return JSON.readTree(payload).path("reason").asText(null);
            } catch (JsonProcessingException e) {
                throw new AssertionError("stored payload is not JSON: " + payload, e);
            }
        }
    }

    static List<StoredEvent> stream(JdbcTemplate jdbc, UserId user) {
        return jdbc.query(
                """
                SELECT sequence_number, payload_type, convert_from(payload, 'UTF8') AS payload
                FROM admit.domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number
                """, (rs, row) -> new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3)), user.value());
    }

    static void assertGaplessFromZero(List<StoredEvent> stream) {
        assertThat(stream)
                .extracting(StoredEvent::sequenceNumber)
                .as("sequence numbers 0..n-1 without gaps")
                .containsExactlyElementsOf(
                        LongStream.range(0, stream.size()).boxed().toList());
    }

    static long count(List<StoredEvent> stream, String payloadType) {
        return stream.stream()
                .filter(event -> event.payloadType().equals(payloadType))
                .count();
    }

    // --- checking a verification race against the rules

    /** One racer of a verification race: whether it sent the right code, and what it was answered. */
    record Attempt(boolean rightCode, VerifyInviteCodeOutcome outcome) {}

    /**
     * Checks a finished race of verifications against one fresh code, stored at {@code codeIndex} of the stream:
     * every racer owns exactly the events its answer's details point at, every other event of the stream after the
     * code belongs to a racer, and replaying the stream in stored order under rules 5, 7 and 8 (max
     * {@code maxAttempts} failures) yields exactly the stored events and the answers given.
     */
    static void assertRaceFollowsTheRules(
            List<StoredEvent> stream, int codeIndex, List<Attempt> attempts, int maxAttempts) {
        assertGaplessFromZero(stream);
        assertThat(stream.get(codeIndex).payloadType()).isEqualTo(CODE_ADDED);

        Map<Long, Attempt> byFirstPosition = new HashMap<>();
        for (Attempt attempt : attempts) {
            long sequence = attempt.outcome().details().sequence();
            long first = attempt.outcome() instanceof VerifyInviteCodeOutcome.Verified ? sequence - 1 : sequence;
            assertThat(byFirstPosition.put(first, attempt))
                    .as("two answers point at the event at position %d", first)
                    .isNull();
        }

        boolean live = true;
        int failures = 0;
        int index = codeIndex + 1;
        int answered = 0;
        while (index < stream.size()) {
            long position = index + 1; // 1-based, as details report it
            Attempt attempt = byFirstPosition.get(position);
            assertThat(attempt)
                    .as("the event at position %d (%s) belongs to no answer", position, stream.get(index))
                    .isNotNull();
            StoredEvent event = stream.get(index);
            if (!live) {
                assertRejected(attempt, event, "NO_ACTIVE_CODE", position);
                index++;
            } else if (attempt.rightCode()) {
                assertThat(attempt.outcome())
                        .as("the right code at position %d, with the code live", position)
                        .isInstanceOf(VerifyInviteCodeOutcome.Verified.class);
                assertThat(event.payloadType()).isEqualTo(CHECK_SUCCEEDED);
                assertThat(stream)
                        .as("check.succeeded at position %d is followed by email.verified", position)
                        .hasSizeGreaterThan(index + 1);
                assertThat(stream.get(index + 1).payloadType()).isEqualTo(EMAIL_VERIFIED);
                live = false;
                index += 2;
            } else {
                assertRejected(attempt, event, "WRONG_CODE", position);
                failures++;
                live = failures < maxAttempts;
                index++;
            }
            answered++;
        }
        assertThat(answered).as("every racer owns events of the stream").isEqualTo(attempts.size());
        assertThat(count(stream, CHECK_SUCCEEDED))
                .as("never two check.succeeded for one code")
                .isLessThanOrEqualTo(1);
    }

    private static void assertRejected(Attempt attempt, StoredEvent event, String reason, long position) {
        assertThat(attempt.outcome())
                .as("the answer owning position %d", position)
                .isInstanceOfSatisfying(
                        VerifyInviteCodeOutcome.Rejected.class,
                        rejected -> assertThat(rejected.error()).isEqualTo(ErrorCatalogue.INVITE_CODE_INVALID));
        assertThat(event.payloadType()).as("event at position %d", position).isEqualTo(CHECK_FAILED);
        assertThat(event.reason())
                .as("reason of the failure at position %d", position)
                .isEqualTo(reason);
    }
}
