package dev.admit.service.persistence;

import static dev.admit.service.persistence.ProjectionTestSupport.addUser;
import static dev.admit.service.persistence.ProjectionTestSupport.freshOrg;
import static dev.admit.service.persistence.ProjectionTestSupport.row;
import static dev.admit.service.persistence.ProjectionTestSupport.streamLength;
import static dev.admit.service.persistence.ProjectionTestSupport.usersProcessor;
import static dev.admit.service.persistence.ProjectionTestSupport.wrongCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.message.AddHumanUserResult;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.message.WriteDetails;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.projection.FindUserQuery;
import dev.admit.projection.UserQueries;
import dev.admit.projection.UserView;
import dev.admit.service.AdmitContextTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Read-your-writes (behaviour.md §2) on real PostgreSQL: a read right after a write shows that write, even while the
 * projection lags or is stopped, and a read never needs the projection of other users.
 */
class ReadYourWritesTest extends AdmitContextTest {

    private static final int CLIENTS = 8;
    private static final int PAIRS_PER_CLIENT = 125;
    private static final int OWNED_USERS_PER_CLIENT = 12;
    private static final int SHARED_USERS = 4;

    @Autowired
    CommandGateway commands;

    @Autowired
    UserQueries queries;

    @Autowired
    UserIdGenerator ids;

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    JdbcTemplate jdbc;

    /** What one client saw: a write and the read issued right after it returned. */
    private record Pair(
            UserId user,
            boolean owned,
            WriteDetails written,
            boolean verifiedByWrite,
            long floorBeforeRead,
            Optional<UserView> read) {}

    /** A user one client writes to, with what that client knows of it. */
    private static final class Target {
        final UserId id;
        final boolean owned;
        volatile boolean added;
        volatile String code;
        volatile boolean verified;

        Target(UserId id, boolean owned) {
            this.id = id;
            this.owned = owned;
        }
    }

    @Test
    void a_thousand_reads_right_after_writes_from_eight_clients_show_each_write() throws Exception {
        OrgId org = freshOrg();
        List<Target> shared = new ArrayList<>();
        for (int i = 0; i < SHARED_USERS; i++) {
            Target target = new Target(ids.next(), false);
            addUser(commands, target.id, org, false);
            target.added = true;
            shared.add(target);
        }
        Map<UserId, AtomicLong> highestReturned = new ConcurrentHashMap<>();
        shared.forEach(target -> highestReturned.put(target.id, new AtomicLong(1)));

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Pair> pairs = new ArrayList<>();
        try {
            List<Future<List<Pair>>> results = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                List<Target> owned = new ArrayList<>();
                for (int i = 0; i < OWNED_USERS_PER_CLIENT; i++) {
                    Target target = new Target(ids.next(), true);
                    owned.add(target);
                    highestReturned.put(target.id, new AtomicLong(0));
                }
                long seed = 1000L + client;
                results.add(clients.submit(() -> runClient(new Random(seed), org, owned, shared, highestReturned)));
            }
            for (Future<List<Pair>> result : results) {
                pairs.addAll(result.get());
            }
        } finally {
            ProjectionTestSupport.shutDown(clients);
        }

        assertThat(pairs).hasSize(CLIENTS * PAIRS_PER_CLIENT);
        List<String> missing = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        List<String> notExact = new ArrayList<>();
        for (Pair pair : pairs) {
            if (pair.read().isEmpty()) {
                missing.add(pair.user().value());
                continue;
            }
            UserView view = pair.read().orElseThrow();
            long read = view.details().sequence();
            if (read < pair.written().sequence() || read < pair.floorBeforeRead()) {
                stale.add(pair.user() + ": wrote " + pair.written().sequence() + ", floor " + pair.floorBeforeRead()
                        + ", read " + read);
            }
            if (pair.owned()
                    && (read != pair.written().sequence()
                            || !view.details()
                                    .changeDate()
                                    .equals(pair.written().changeDate())
                            || !view.details()
                                    .resourceOwner()
                                    .equals(pair.written().resourceOwner())
                            || (pair.verifiedByWrite() && !view.emailVerified()))) {
                notExact.add(pair.user() + ": wrote " + pair.written() + ", read " + view.details() + " verified "
                        + view.emailVerified());
            }
        }
        assertThat(missing).as("reads that did not find the user just written").isEmpty();
        assertThat(stale).as("stale reads").isEmpty();
        assertThat(notExact)
                .as("reads of a user nobody else wrote to that differ from the write's details")
                .isEmpty();
        assertThat(pairs.stream().filter(Pair::owned).count()).isGreaterThan(500);
        assertThat(pairs.stream().filter(pair -> !pair.owned()).count()).isGreaterThan(100);
    }

    private List<Pair> runClient(
            Random random, OrgId org, List<Target> owned, List<Target> shared, Map<UserId, AtomicLong> highest) {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS_PER_CLIENT; i++) {
            Target target = random.nextInt(4) == 0
                    ? shared.get(random.nextInt(shared.size()))
                    : owned.get(random.nextInt(owned.size()));
            WriteDetails written;
            boolean verifiedByWrite = false;
            if (!target.added) {
                boolean verified = random.nextInt(5) == 0;
                AddHumanUserResult added = addUser(commands, target.id, org, verified);
                written = added.details();
                target.added = true;
                target.verified = verified;
                verifiedByWrite = verified;
            } else {
                int choice = random.nextInt(10);
                if (target.code == null || choice < 3) {
                    CreateInviteCodeResult created = commands.sendAndWait(
                            new CreateInviteCodeCommand(target.id, OrgScope.any(), new InviteDelivery.ReturnCode()));
                    target.code = created.returnedCode().orElseThrow().reveal();
                    written = created.details();
                } else if (choice < 6) {
                    VerifyInviteCodeOutcome outcome = commands.sendAndWait(
                            new VerifyInviteCodeCommand(target.id, OrgScope.any(), wrongCode(target.code)));
                    written = outcome.details();
                } else {
                    VerifyInviteCodeOutcome outcome =
                            commands.sendAndWait(new VerifyInviteCodeCommand(target.id, OrgScope.any(), target.code));
                    written = outcome.details();
                    verifiedByWrite = outcome instanceof VerifyInviteCodeOutcome.Verified;
                }
            }
            AtomicLong highestForUser = highest.get(target.id);
            highestForUser.accumulateAndGet(written.sequence(), Math::max);
            long floor = highestForUser.get();
            Optional<UserView> read = queries.find(new FindUserQuery(target.id, OrgScope.any()));
            read.ifPresent(
                    view -> highestForUser.accumulateAndGet(view.details().sequence(), Math::max));
            pairs.add(new Pair(target.id, target.owned, written, verifiedByWrite, floor, read));
        }
        return pairs;
    }

    @Test
    void a_read_reflects_a_write_while_the_users_processor_is_stopped_without_applying_other_users_backlog()
            throws Exception {
        OrgId org = freshOrg();
        StreamingEventProcessor processor = usersProcessor(processing);
        processor.shutDown();
        try {
            List<UserId> backlog = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                UserId other = ids.next();
                addUser(commands, other, org, false);
                backlog.add(other);
            }
            UserId user = ids.next();
            addUser(commands, user, org, false);
            String code = commands.<CreateInviteCodeResult>sendAndWait(
                            new CreateInviteCodeCommand(user, OrgScope.any(), new InviteDelivery.ReturnCode()))
                    .returnedCode()
                    .orElseThrow()
                    .reveal();
            commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), wrongCode(code)));
            VerifyInviteCodeOutcome verified =
                    commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), code));
            assertThat(verified).isInstanceOf(VerifyInviteCodeOutcome.Verified.class);
            assertThat(row(jdbc, user))
                    .as("the stopped processor applied nothing")
                    .isEmpty();

            UserView view =
                    queries.find(new FindUserQuery(user, OrgScope.any())).orElseThrow();

            assertThat(view.details().sequence()).isEqualTo(5);
            assertThat(view.details().changeDate()).isEqualTo(verified.details().changeDate());
            assertThat(view.emailVerified()).isTrue();
            assertThat(backlog)
                    .as("the read caught up its own user only")
                    .allSatisfy(other -> assertThat(row(jdbc, other)).isEmpty());
        } finally {
            processor.start();
        }
    }

    @Test
    void a_read_catches_up_a_snapshotted_stream_longer_than_the_threshold_while_the_processor_is_stopped()
            throws Exception {
        OrgId org = freshOrg();
        UserId user = ids.next();
        addUser(commands, user, org, false);
        assertThat(queries.find(new FindUserQuery(user, OrgScope.any())))
                .hasValueSatisfying(
                        view -> assertThat(view.details().sequence()).isEqualTo(1));
        StreamingEventProcessor processor = usersProcessor(processing);
        processor.shutDown();
        try {
            String code = commands.<CreateInviteCodeResult>sendAndWait(
                            new CreateInviteCodeCommand(user, OrgScope.any(), new InviteDelivery.ReturnCode()))
                    .returnedCode()
                    .orElseThrow()
                    .reveal();
            for (int i = 0; i < 60; i++) {
                commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), wrongCode(code)));
            }
            String second = commands.<CreateInviteCodeResult>sendAndWait(
                            new CreateInviteCodeCommand(user, OrgScope.any(), new InviteDelivery.ReturnCode()))
                    .returnedCode()
                    .orElseThrow()
                    .reveal();
            VerifyInviteCodeOutcome verified =
                    commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), second));
            assertThat(verified).isInstanceOf(VerifyInviteCodeOutcome.Verified.class);
            assertThat(verified.details().sequence()).isEqualTo(65);

            UserView view =
                    queries.find(new FindUserQuery(user, OrgScope.any())).orElseThrow();

            assertThat(view.details().sequence()).isEqualTo(65).isEqualTo(streamLength(jdbc, user));
            assertThat(view.details().changeDate()).isEqualTo(verified.details().changeDate());
            assertThat(view.emailVerified()).isTrue();
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM admit.snapshot_event_entry WHERE aggregate_identifier = ?",
                            Long.class,
                            user.value()))
                    .as("a stream of 65 events, above admit.event-store.snapshot-threshold (50), has a snapshot "
                            + "(so the read above really caught up past one)")
                    .isPositive();
        } finally {
            processor.start();
        }
    }

    @Test
    void a_user_outside_the_callers_organization_reads_as_missing() {
        OrgId org = freshOrg();
        OrgId other = freshOrg();
        UserId user = ids.next();
        addUser(commands, user, org, false);

        assertThat(queries.find(new FindUserQuery(user, OrgScope.only(org)))).isPresent();
        assertThat(queries.find(new FindUserQuery(user, OrgScope.only(other)))).isEmpty();
    }

    @Test
    void a_user_that_does_not_exist_reads_as_missing() {
        UserId missing = ids.next();

        assertThat(queries.find(new FindUserQuery(missing, OrgScope.any()))).isEmpty();
        assertThat(row(jdbc, missing)).isEmpty();
    }
}
