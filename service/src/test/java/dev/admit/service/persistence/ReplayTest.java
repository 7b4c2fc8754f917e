package dev.admit.service.persistence;

import static dev.admit.service.persistence.ProjectionTestSupport.addUser;
import static dev.admit.service.persistence.ProjectionTestSupport.append;
import static dev.admit.service.persistence.ProjectionTestSupport.freshOrg;
import static dev.admit.service.persistence.ProjectionTestSupport.laggingRows;
import static dev.admit.service.persistence.ProjectionTestSupport.usersTable;
import static dev.admit.service.persistence.ProjectionTestSupport.wrongCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.admit.domain.message.ConfirmInviteCodeSentCommand;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.IdpLinkAdded;
import dev.admit.domain.message.IdpLinkRemoved;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasskeyAdded;
import dev.admit.domain.message.PasskeyRemoved;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.ResendInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.message.WriteDetails;
import dev.admit.domain.serialization.EventTypes;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.projection.UserRows;
import dev.admit.projection.UsersProjectionReplay;
import dev.admit.service.AdmitContextTest;
import dev.admit.store.AdmitTables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

/** A rebuild of the users projection from the event store yields exactly the table the live projection built. */
class ReplayTest extends AdmitContextTest {

    private static final Logger log = LoggerFactory.getLogger(ReplayTest.class);
    private static final int USERS = 10_000;
    private static final int CLIENTS = 8;
    private static final int ORGS = 10;
    private static final String URL_TEMPLATE =
            "https://example.com/invite?user={{.UserID}}&code={{.Code}}&org={{.OrgID}}";
    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    @Autowired
    CommandGateway commands;

    @Autowired
    UserIdGenerator ids;

    @Autowired
    UsersProjectionReplay replay;

    @Autowired
    EventStore eventStore;

    @Autowired
    TransactionManager transactions;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    @Qualifier("eventSerializer")
    Serializer eventSerializer;

    @Autowired
    TokenStore tokenStore;

    @Test
    void a_rebuild_over_ten_thousand_users_yields_the_same_table_row_by_row() throws Exception {
        long started = System.nanoTime();
        List<OrgId> orgs = new ArrayList<>();
        for (int i = 0; i < ORGS; i++) {
            orgs.add(freshOrg());
        }
        List<UserId> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(ids.next());
        }
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                int n = i;
                done.add(clients.submit(() -> writeHistory(n, users.get(n), orgs.get(n % ORGS))));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            ProjectionTestSupport.shutDown(clients);
        }
        long written = System.nanoTime();

        replay.awaitCaughtUp(CATCH_UP);
        // isCaughtUp() can answer too early when an event committed late into a gap of the global index (see
        // ProjectionCatchUpTest); make sure every row reflects its whole stream before taking the snapshot
        await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100)).until(() -> laggingRows(jdbc) == 0);
        long caughtUp = System.nanoTime();

        assertThat(jdbc.queryForList("SELECT DISTINCT payload_type FROM admit.domain_event_entry", String.class))
                .as("every event type is in the store")
                .containsAll(EventTypes.all().values());
        List<Map<String, Object>> live = usersTable(jdbc);
        assertThat(live).hasSizeGreaterThanOrEqualTo(USERS);
        assertThat(live).anySatisfy(row -> assertThat(row.get("email_verified")).isEqualTo(true));
        assertThat(live).anySatisfy(row -> assertThat(row.get("email_verified")).isEqualTo(false));

        UserId corrupted = users.get(1);
        UserId deleted = users.get(5);
        assertThat(jdbc.update("UPDATE admit.users SET given_name = 'corrupt' WHERE user_id = ?", corrupted.value()))
                .isOne();
        assertThat(jdbc.update("DELETE FROM admit.users WHERE user_id = ?", deleted.value()))
                .isOne();

        replay.rebuild();
        replay.awaitCaughtUp(CATCH_UP);
        long rebuilt = System.nanoTime();

        List<Map<String, Object>> replayed = usersTable(jdbc);
        assertThat(replayed).hasSameSizeAs(live);
        for (int i = 0; i < live.size(); i++) {
            assertThat(replayed.get(i)).as("row %d", i).isEqualTo(live.get(i));
        }
        log.info(
                "replay test: {} users written in {} ms, live projection caught up after {} ms, rebuilt in {} ms",
                USERS,
                (written - started) / 1_000_000,
                (caughtUp - written) / 1_000_000,
                (rebuilt - caughtUp) / 1_000_000);
    }

    @Test
    void a_rebuild_that_fails_midway_is_finished_by_the_restarted_processor_with_nothing_lost() throws Exception {
        List<OrgId> orgs = List.of(freshOrg(), freshOrg());
        for (int i = 0; i < 2_000; i++) {
            writeHistory(i, ids.next(), orgs.get(i % orgs.size()));
        }
        replay.awaitCaughtUp(CATCH_UP);
        await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100)).until(() -> laggingRows(jdbc) == 0);
        List<Map<String, Object>> live = usersTable(jdbc);

        AtomicInteger writes = new AtomicInteger();
        UserRows failingOnSecondWrite = new UserRows(jdbc, AdmitTables.inDefaultSchema()) {
            @Override
            public Set<String> applyAll(Changes changes) {
                if (writes.incrementAndGet() == 2) {
                    throw new IllegalStateException("the database went away");
                }
                return super.applyAll(changes);
            }
        };
        UsersProjectionReplay interrupted = new UsersProjectionReplay(
                processing,
                eventStore,
                AdmitTables.inDefaultSchema(),
                eventSerializer,
                NoOpEventUpcaster.INSTANCE,
                Duration.ofSeconds(60),
                tokenStore,
                transactions,
                failingOnSecondWrite,
                jdbc,
                1);
        assertThatThrownBy(interrupted::rebuild).hasMessage("the database went away");

        replay.awaitCaughtUp(CATCH_UP);
        await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100)).until(() -> laggingRows(jdbc) == 0);
        List<Map<String, Object>> finished = usersTable(jdbc);
        assertThat(finished).hasSameSizeAs(live);
        for (int i = 0; i < live.size(); i++) {
            assertThat(finished.get(i)).as("row %d", i).isEqualTo(live.get(i));
        }
    }

    /**
     * One user's history; which one depends on {@code n}, so that the store holds every event type: one user in 20
     * each is created verified, verifies a returned code, gets a mailed code resent, collects authentication methods,
     * or exhausts a code; the rest are only created.
     */
    private void writeHistory(int n, UserId user, OrgId org) {
        switch (n % 20) {
            case 0 -> addUser(commands, user, org, true);
            case 1 -> {
                addUser(commands, user, org, false);
                String code = returnedCode(user);
                commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), wrongCode(code)));
                VerifyInviteCodeOutcome outcome =
                        commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), code));
                assertThat(outcome).isInstanceOf(VerifyInviteCodeOutcome.Verified.class);
            }
            case 2 -> {
                addUser(commands, user, org, false);
                WriteDetails created = commands.<CreateInviteCodeResult>sendAndWait(new CreateInviteCodeCommand(
                                user, OrgScope.only(org), new InviteDelivery.SendCode(URL_TEMPLATE, "Replay")))
                        .details();
                commands.sendAndWait(new ConfirmInviteCodeSentCommand(user, created.sequence()));
                WriteDetails resent = commands.sendAndWait(new ResendInviteCodeCommand(user, OrgScope.any()));
                commands.sendAndWait(new ConfirmInviteCodeSentCommand(user, resent.sequence()));
            }
            case 3 -> {
                addUser(commands, user, org, false);
                append(
                        eventStore,
                        transactions,
                        user,
                        new PasswordChanged("$argon2id$v=19$stub-" + n, false),
                        new PasskeyAdded("passkey-" + n),
                        new IdpLinkAdded("idp-1", "external-" + n, "User " + n),
                        new PasskeyRemoved("passkey-" + n),
                        new IdpLinkRemoved("idp-1", "external-" + n));
            }
            case 4 -> {
                addUser(commands, user, org, false);
                String code = returnedCode(user);
                for (int attempt = 0; attempt < 3; attempt++) {
                    commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), wrongCode(code)));
                }
                VerifyInviteCodeOutcome outcome =
                        commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), code));
                assertThat(outcome).isInstanceOf(VerifyInviteCodeOutcome.Rejected.class);
            }
            default -> addUser(commands, user, org, false);
        }
    }

    private String returnedCode(UserId user) {
        return commands.<CreateInviteCodeResult>sendAndWait(
                        new CreateInviteCodeCommand(user, OrgScope.any(), new InviteDelivery.ReturnCode()))
                .returnedCode()
                .orElseThrow()
                .reveal();
    }
}
