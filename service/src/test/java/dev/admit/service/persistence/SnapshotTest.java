package dev.admit.service.persistence;

import static dev.admit.service.persistence.ConcurrencySupport.CHECK_FAILED;
import static dev.admit.service.persistence.ConcurrencySupport.addHuman;
import static dev.admit.service.persistence.ConcurrencySupport.freshOrg;
import static dev.admit.service.persistence.ConcurrencySupport.stream;
import static dev.admit.service.persistence.ConcurrencySupport.wrongCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.serialization.EventTypes;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.User;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.persistence.ConcurrencySupport.StoredEvent;
import dev.admit.spring.boot.AdmitProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Users whose streams outgrow {@code admit.event-store.snapshot-threshold} are loaded from a snapshot plus the
 * events after it, and behave exactly as if loaded from the whole stream. Axon silently falls back to the whole
 * stream when a snapshot cannot be read, so the tests also prove that the snapshot itself is read back. The
 * threshold is small here (a context of its own): streams shorter than it are loaded whole, without their snapshot,
 * and these tests need their streams of a few events loaded from snapshots.
 */
@TestPropertySource(properties = "admit.event-store.snapshot-threshold=" + SnapshotTest.THRESHOLD)
class SnapshotTest extends AdmitContextTest {

    static final int THRESHOLD = 4;

    private static final String SNAPSHOT_TYPE = "dev.admit.domain.user.User";

    /** Snapshots are taken synchronously after the command's commit; this only guards against hanging. */
    private static final Duration SNAPSHOT_BOUND = Duration.ofSeconds(5);

    /** Axon only logs a failed snapshot, as a WARN of AbstractSnapshotter; say where to look. */
    private static final String SNAPSHOT_HINT =
            " in snapshot_event_entry (a failed snapshot is only logged: see AbstractSnapshotter's WARN)";

    @Autowired
    CommandGateway commands;

    @Autowired
    UserIdGenerator ids;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AdmitProperties properties;

    @Autowired
    EventStore eventStore;

    @Autowired
    Snapshotter snapshotter;

    @Test
    void a_user_whose_stream_outgrows_the_snapshot_threshold_keeps_its_rules_and_sequences() {
        UserId user = ids.next();
        commands.sendAndWait(addHuman(user, freshOrg(ids), null));
        long length = 1;
        List<String> issued = new ArrayList<>();

        // 80 wrong attempts, two per code, so that no code dies: every answer is still rule 7's "invalid"
        for (int round = 0; round < 40; round++) {
            String code = returnedCode(user, ++length);
            issued.add(code);
            for (int attempt = 0; attempt < 2; attempt++) {
                VerifyInviteCodeOutcome wrong = verify(user, wrongCode(code));
                assertThat(wrong)
                        .isEqualTo(new VerifyInviteCodeOutcome.Rejected(
                                ErrorCatalogue.INVITE_CODE_INVALID, wrong.details()));
                assertThat(wrong.details().sequence()).isEqualTo(++length);
            }
        }
        assertThat(length).isGreaterThan(2L * properties.eventStore().snapshotThreshold());

        // the last code: two failures, and the right code still succeeds on the third attempt
        String last = returnedCode(user, ++length);
        issued.add(last);
        verify(user, wrongCode(last));
        verify(user, wrongCode(last));
        length += 2;
        VerifyInviteCodeOutcome verified = verify(user, last);
        length += 2;

        assertThat(verified).isInstanceOf(VerifyInviteCodeOutcome.Verified.class);
        assertThat(verified.details().sequence()).isEqualTo(length);
        List<StoredEvent> stream = stream(jdbc, user);
        ConcurrencySupport.assertGaplessFromZero(stream);
        assertThat(stream).hasSize((int) length);
        assertThat(stream)
                .filteredOn(event -> event.payloadType().equals(CHECK_FAILED))
                .hasSize(82)
                .allSatisfy(event -> assertThat(event.reason()).isEqualTo("WRONG_CODE"));

        Map<String, Object> snapshot = awaitLatestSnapshot(user);
        assertThat(snapshot.get("payload_type")).isEqualTo(SNAPSHOT_TYPE);
        assertThat(snapshot.get("type")).isEqualTo(EventTypes.USER_AGGREGATE_TYPE);
        String json = (String) snapshot.get("payload");
        assertThat(json).as("the snapshot keeps the code sealed").contains("\"keyId\"", "\"ciphertext\"");
        assertThat(issued)
                .allSatisfy(code -> assertThat(json)
                        .as("the snapshot holds no plain invite code")
                        .doesNotContain(code));
        assertLoadsFromSnapshot(user, (Long) snapshot.get("sequence_number"));
    }

    @Test
    void a_snapshot_taken_between_failed_attempts_keeps_the_attempt_count() {
        UserId user = ids.next();
        commands.sendAndWait(addHuman(user, freshOrg(ids), null));

        // two failures, then a snapshot: the right code is still accepted on the third attempt
        String first = returnedCode(user, 2);
        verify(user, wrongCode(first));
        verify(user, wrongCode(first));
        snapshotNow(user, 3);
        VerifyInviteCodeOutcome verified = verify(user, first);
        assertThat(verified).isInstanceOf(VerifyInviteCodeOutcome.Verified.class);
        assertThat(verified.details().sequence()).isEqualTo(6);

        // three failures, then a snapshot: the code is dead, the right code is answered by rule 5
        String second = returnedCode(user, 7);
        verify(user, wrongCode(second));
        verify(user, wrongCode(second));
        verify(user, wrongCode(second));
        snapshotNow(user, 9);
        VerifyInviteCodeOutcome dead = verify(user, second);
        assertThat(dead)
                .isEqualTo(new VerifyInviteCodeOutcome.Rejected(ErrorCatalogue.INVITE_CODE_INVALID, dead.details()));
        assertThat(dead.details().sequence()).isEqualTo(11);
        List<StoredEvent> stream = stream(jdbc, user);
        assertThat(stream).hasSize(11);
        assertThat(stream.get(10).reason()).isEqualTo("NO_ACTIVE_CODE");

        // a newer code replaces the dead one from the snapshot and starts again from no failures
        snapshotNow(user, 10);
        String third = returnedCode(user, 12);
        snapshotNow(user, 11);
        verify(user, wrongCode(third));
        verify(user, wrongCode(third));
        VerifyInviteCodeOutcome again = verify(user, third);
        assertThat(again).isInstanceOf(VerifyInviteCodeOutcome.Verified.class);
        assertThat(again.details().sequence()).isEqualTo(16);
    }

    private String returnedCode(UserId user, long expectedSequence) {
        CreateInviteCodeResult created = commands.sendAndWait(
                new CreateInviteCodeCommand(user, OrgScope.any(), new InviteDelivery.ReturnCode()));
        assertThat(created.details().sequence()).isEqualTo(expectedSequence);
        return created.returnedCode().orElseThrow().reveal();
    }

    private VerifyInviteCodeOutcome verify(UserId user, String code) {
        return commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), code));
    }

    /** Takes a snapshot of the user as it is now (0-based last sequence {@code at}) and proves it is read back. */
    private void snapshotNow(UserId user, long at) {
        snapshotter.scheduleSnapshot(User.class, user.value());
        await("a snapshot of user " + user + " at sequence " + at + SNAPSHOT_HINT)
                .atMost(SNAPSHOT_BOUND)
                .until(() -> latestSnapshotSequence(user) == at);
        assertLoadsFromSnapshot(user, at);
    }

    /** Reading the user's stream starts with the snapshot, deserialized into a {@link User}. */
    private void assertLoadsFromSnapshot(UserId user, long snapshotSequence) {
        DomainEventStream events = eventStore.readEvents(user.value());
        assertThat(events.hasNext()).isTrue();
        DomainEventMessage<?> first = events.next();
        assertThat(first.getPayload())
                .as("the stream is read from its snapshot, not replayed from the start")
                .isInstanceOf(User.class);
        assertThat(first.getSequenceNumber()).isEqualTo(snapshotSequence);
    }

    private Map<String, Object> awaitLatestSnapshot(UserId user) {
        await("a snapshot of user " + user + SNAPSHOT_HINT)
                .atMost(SNAPSHOT_BOUND)
                .until(() -> latestSnapshotSequence(user) >= 0);
        return jdbc.queryForMap("""
                SELECT sequence_number, type, payload_type, convert_from(payload, 'UTF8') AS payload
                FROM admit.snapshot_event_entry WHERE aggregate_identifier = ?
                ORDER BY sequence_number DESC LIMIT 1
                """, user.value());
    }

    private long latestSnapshotSequence(UserId user) {
        Long sequence = jdbc.queryForObject(
                "SELECT max(sequence_number) FROM admit.snapshot_event_entry WHERE aggregate_identifier = ?",
                Long.class,
                user.value());
        return sequence == null ? -1 : sequence;
    }
}
