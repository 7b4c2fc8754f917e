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

import dev.admit.domain.crypto.EncryptedCode;
import dev.admit.domain.message.ConfirmInviteCodeSentCommand;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.IdpLinkAdded;
import dev.admit.domain.message.IdpLinkRemoved;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasskeyAdded;
import dev.admit.domain.message.PasskeyRemoved;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.PasswordCheckFailed;
import dev.admit.domain.message.PasswordCodeAdded;
import dev.admit.domain.message.PasswordCodeCheckFailed;
import dev.admit.domain.message.PasswordCodeSent;
import dev.admit.domain.message.PasswordHashUpdated;
import dev.admit.domain.message.ResendInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.message.WriteDetails;
import dev.admit.domain.serialization.EventTypes;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.projection.RebuildAlreadyRunningException;
import dev.admit.projection.RebuildProgress;
import dev.admit.projection.RebuildResult;
import dev.admit.projection.UserRows;
import dev.admit.projection.UsersProjectionReplay;
import dev.admit.service.AdmitContextTest;
import dev.admit.store.AdmitTables;
import dev.admit.store.PassedGaps;
import java.time.Clock;
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
        assertThat(live)
                .anySatisfy(
                        row -> assertThat(row.get("password_change_required")).isEqualTo(true));
        assertThat(live)
                .anySatisfy(row -> assertThat(row.get("password_changed")).isNotNull());
        assertThat(live)
                .anySatisfy(row -> assertThat((List<?>) row.get("passkeys")).hasSize(1));
        assertThat(live)
                .anySatisfy(row -> assertThat((List<?>) row.get("idp_links")).hasSize(1));

        UserId corrupted = users.get(1);
        UserId deleted = users.get(5);
        assertThat(jdbc.update("UPDATE admit.users SET given_name = 'corrupt' WHERE user_id = ?", corrupted.value()))
                .isOne();
        assertThat(jdbc.update("DELETE FROM admit.users WHERE user_id = ?", deleted.value()))
                .isOne();

        // an event outside any aggregate stream, as Axon stores one (its event identifier as its aggregate's, no
        // type): another application's in a shared store. A user's creation even, it is no user's row.
        String outside = java.util.UUID.randomUUID().toString();
        jdbc.update(
                """
                INSERT INTO admit.domain_event_entry (event_identifier, meta_data, payload, payload_revision,
                    payload_type, time_stamp, aggregate_identifier, sequence_number, type)
                VALUES (?, NULL, ?, '1', ?, ?, ?, 0, NULL)
                """,
                outside,
                eventSerializer
                        .serialize(
                                new HumanUserAdded(
                                        ids.next(),
                                        orgs.get(0),
                                        "outside",
                                        "Not",
                                        "Streamed",
                                        null,
                                        null,
                                        "nobody@example.com"),
                                byte[].class)
                        .getData(),
                EventTypes.nameOf(HumanUserAdded.class).orElseThrow(),
                java.time.Instant.now().toString(),
                outside);

        // few rows held back, so that some users' later events reach rows written by an earlier chunk, some fold into
        // rows held back across chunks, and some into rows of their own chunk
        replayHolding(1_000, new UserRows(jdbc, AdmitTables.inDefaultSchema(), UsersProjectionReplay.SHADOW))
                .rebuild();
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
    void a_rebuild_that_fails_midway_leaves_the_live_table_in_place_and_the_next_one_carries_on() throws Exception {
        List<OrgId> orgs = List.of(freshOrg(), freshOrg());
        for (int i = 0; i < 2_000; i++) {
            writeHistory(i, ids.next(), orgs.get(i % orgs.size()));
        }
        awaitRowsCaughtUp();
        List<Map<String, Object>> before = usersTable(jdbc);

        UserRows failingOnSwap = shadowRowsFailingOnThirdWrite(() -> {});
        UsersProjectionReplay interrupted = replayHolding(0, failingOnSwap);
        // the store fits one chunk, which the two writers write; a user added meanwhile is the swap's to catch up,
        // and that third write fails
        UserId addedDuringRebuild = ids.next();
        java.util.concurrent.atomic.AtomicBoolean added = new java.util.concurrent.atomic.AtomicBoolean();
        assertThatThrownBy(() -> interrupted.rebuild(progress -> {
                    if (added.compareAndSet(false, true)) {
                        addUser(commands, addedDuringRebuild, orgs.get(0), false);
                    }
                }))
                .hasMessage("the database went away");
        awaitRowsCaughtUp();
        List<Map<String, Object>> live = usersTable(jdbc);

        assertThat(live.stream().filter(row -> !addedDuringRebuild.value().equals(row.get("user_id"))))
                .as("the live table, untouched by the failed rebuild")
                .containsExactlyElementsOf(before);
        assertThat(replay.isInterrupted()).isTrue();
        long carriedOnFrom = jdbc.queryForObject("SELECT events_applied FROM admit.users_rebuild_progress", Long.class);
        assertThat(carriedOnFrom)
                .as("the first chunk's events were recorded as done")
                .isPositive();

        RebuildResult result = replay.rebuild(progress -> {});

        assertThat(result.resumed()).isTrue();
        assertThat(replay.isInterrupted()).isFalse();
        assertThat(replay.isCaughtUp()).as("caught up when the rebuild returns").isTrue();
        awaitRowsCaughtUp();
        assertThat(usersTable(jdbc)).isEqualTo(live);
    }

    @Test
    void a_rebuild_that_fails_while_it_holds_rows_back_loses_none_of_them_when_it_carries_on() throws Exception {
        List<OrgId> orgs = List.of(freshOrg(), freshOrg());
        for (int i = 0; i < 2_000; i++) {
            writeHistory(i, ids.next(), orgs.get(i % orgs.size()));
        }
        awaitRowsCaughtUp();
        List<Map<String, Object>> live = usersTable(jdbc);

        // fails once the first chunk's parts are written and, should it move, the progress has moved
        UserRows failingOnThirdWrite = shadowRowsFailingOnThirdWrite(() -> {
            try {
                await().atMost(Duration.ofSeconds(2))
                        .until(() -> jdbc.queryForObject(
                                        "SELECT events_applied FROM admit.users_rebuild_progress", Long.class)
                                > 0);
            } catch (org.awaitility.core.ConditionTimeoutException notMoved) {
                // as it should be: the first chunk's newest rows are still held back
            }
        });
        // each writer holds back its newest 100 new rows, which the first chunk's part leaves out and the write that
        // fails was to carry
        assertThatThrownBy(() -> replayHolding(200, failingOnThirdWrite).rebuild())
                .hasMessage("the database went away");
        assertThat(replay.isInterrupted()).isTrue();

        RebuildResult result = replay.rebuild(progress -> {});

        assertThat(result.resumed()).isTrue();
        awaitRowsCaughtUp();
        assertThat(usersTable(jdbc))
                .as("every user, those whose rows were held back when it failed included")
                .isEqualTo(live);
    }

    @Test
    void reads_and_writes_go_on_against_the_live_table_while_the_shadow_is_built_and_swapped_in() throws Exception {
        List<OrgId> orgs = List.of(freshOrg(), freshOrg());
        for (int i = 0; i < 1_000; i++) {
            writeHistory(i, ids.next(), orgs.get(i % orgs.size()));
        }
        awaitRowsCaughtUp();
        List<Map<String, Object>> before = usersTable(jdbc);
        UserId addedDuringRebuild = ids.next();
        List<String> seen = new ArrayList<>();

        RebuildResult result = replay.rebuild(progress -> {
            if (progress.phase() != RebuildProgress.Phase.BUILDING || !seen.isEmpty()) {
                return;
            }
            seen.add("building");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM admit.users", Long.class))
                    .as("the live table stays whole while the shadow is built")
                    .isEqualTo(before.size());
            assertThat(jdbc.queryForObject("SELECT count(*) FROM admit.users_rebuild", Long.class))
                    .isLessThan(before.size());
            assertThatThrownBy(() -> replay.rebuild())
                    .as("a second rebuild while this one runs")
                    .isInstanceOf(RebuildAlreadyRunningException.class);
            addUser(commands, addedDuringRebuild, orgs.get(0), true);
        });

        assertThat(seen).containsExactly("building");
        assertThat(result.resumed()).isFalse();
        assertThat(result.eventsApplied()).isGreaterThan(before.size());
        assertThat(replay.isCaughtUp()).isTrue();
        awaitRowsCaughtUp();
        assertThat(jdbc.queryForObject(
                        "SELECT email_verified FROM admit.users WHERE user_id = ?",
                        Boolean.class,
                        addedDuringRebuild.value()))
                .as("the user added during the rebuild, in the swapped-in table")
                .isTrue();
        assertThat(jdbc.queryForList(
                        "SELECT indexname FROM pg_indexes WHERE schemaname = 'admit' AND tablename = 'users'",
                        String.class))
                .as("the live table's index names, as its migrations made them")
                .containsExactlyInAnyOrder("users_pkey", "users_org_id_user_id_idx");
        assertThat(jdbc.queryForObject("SELECT to_regclass('admit.users_rebuild') IS NULL", Boolean.class))
                .isTrue();
        assertThat(replay.rebuild())
                .as("a rebuild after a finished one starts anew")
                .isPositive();
    }

    @Test
    void the_storage_settings_an_operator_gave_the_users_table_survive_a_rebuild() throws Exception {
        writeHistory(0, ids.next(), freshOrg());
        awaitRowsCaughtUp();
        jdbc.execute("ALTER TABLE admit.users SET (fillfactor = 85, autovacuum_vacuum_scale_factor = 0.05)");
        try {
            replay.rebuild();

            assertThat(jdbc.queryForList(
                            "SELECT unnest(reloptions) FROM pg_class WHERE oid = 'admit.users'::regclass",
                            String.class))
                    .as("the swapped-in table's storage parameters")
                    .containsExactlyInAnyOrder("fillfactor=85", "autovacuum_vacuum_scale_factor=0.05");
        } finally {
            jdbc.execute("ALTER TABLE admit.users RESET (fillfactor, autovacuum_vacuum_scale_factor)");
        }
    }

    /** The shadow table's rows, whose third write of a rebuild fails after {@code beforeFailing} has run. */
    private UserRows shadowRowsFailingOnThirdWrite(Runnable beforeFailing) {
        AtomicInteger writes = new AtomicInteger();
        return new UserRows(jdbc, AdmitTables.inDefaultSchema(), UsersProjectionReplay.SHADOW) {
            @Override
            public Set<String> applyAll(Changes changes) {
                failOnThirdWrite();
                return super.applyAll(changes);
            }

            @Override
            public Set<String> applyAllCopyingNewRows(Changes changes) {
                failOnThirdWrite();
                return super.applyAllCopyingNewRows(changes);
            }

            private void failOnThirdWrite() {
                if (writes.incrementAndGet() == 3) {
                    beforeFailing.run();
                    throw new IllegalStateException("the database went away");
                }
            }
        };
    }

    /** A rebuild like the application's that holds {@code heldRows} new rows back and writes through {@code rows}. */
    private UsersProjectionReplay replayHolding(int heldRows, UserRows rows) {
        return new UsersProjectionReplay(
                processing,
                eventStore,
                AdmitTables.inDefaultSchema(),
                eventSerializer,
                NoOpEventUpcaster.INSTANCE,
                Duration.ofSeconds(60),
                tokenStore,
                transactions,
                jdbc,
                1,
                new PassedGaps(jdbc, AdmitTables.inDefaultSchema(), Clock.systemUTC()),
                Clock.systemUTC(),
                heldRows,
                rows);
    }

    private void awaitRowsCaughtUp() throws Exception {
        replay.awaitCaughtUp(CATCH_UP);
        // isCaughtUp() can answer too early when an event committed late into a gap of the global index (see
        // ProjectionCatchUpTest)
        await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100)).until(() -> laggingRows(jdbc) == 0);
    }

    /**
     * One user's history; which one depends on {@code n}, so that the store holds every event type: one user in 20
     * each is created verified, verifies a returned code, gets a mailed code resent, collects authentication methods,
     * exhausts a code, or goes through a password reset; the rest are only created.
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
                        new PasskeyAdded("passkey-b-" + n),
                        new PasskeyRemoved("passkey-" + n),
                        new IdpLinkRemoved("idp-1", "external-" + n),
                        new IdpLinkAdded("idp-2", "external-" + n, "User " + n),
                        new PasswordChanged("$argon2id$v=19$stub-b-" + n, n % 40 == 3));
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
            case 5 -> {
                addUser(commands, user, org, false);
                append(
                        eventStore,
                        transactions,
                        user,
                        new PasswordCodeAdded(
                                new EncryptedCode("k1", "c2VhbGVkLWNvZGUtc3R1Yg"), Duration.ofHours(1), null, true),
                        new PasswordCodeSent(),
                        new PasswordCodeCheckFailed(PasswordCodeCheckFailed.Reason.WRONG_CODE),
                        new PasswordChanged("$argon2id$v=19$stub-" + n, true),
                        new PasswordCheckFailed(),
                        new PasswordHashUpdated("$argon2id$v=19$stub-rehashed-" + n));
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
