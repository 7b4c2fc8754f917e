package dev.admit.service.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.admit.core.api.Admit;
import dev.admit.core.api.NewHumanUser;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.serialization.EventSerialization;
import dev.admit.domain.serialization.EventTypes;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.projection.UserView;
import dev.admit.service.AdmitApplication;
import dev.admit.spring.boot.AdmitEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An event whose transaction commits after the users processor has passed its position for good (past the gap
 * timeout) still reaches the read model: through the user's next event, or, when it is the user's last, through
 * the late-event sweep. Lists are read here, since they do not catch rows up the way a single read does.
 */
class LateCommitTest {

    private static final OrgId ORG = new OrgId("424242");
    private static final OrgScope SCOPE = OrgScope.only(ORG);
    private static final Duration GAP_TIMEOUT = Duration.ofSeconds(1);

    private static ConfigurableApplicationContext context;
    private static Admit admit;
    private static JdbcTemplate jdbc;
    private static AdmitEngine engine;

    @BeforeAll
    static void start() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "late-");
        context = new SpringApplicationBuilder(AdmitApplication.class)
                .properties(
                        "admit.data-dir=" + dataDir,
                        "admit.server.enabled=false",
                        "admit.mail.enabled=false",
                        "spring.flyway.enabled=false",
                        "logging.config=classpath:admit-logback.xml",
                        "admit.event-store.gap-timeout=" + GAP_TIMEOUT.toMillis() + "ms",
                        // the sweep runs when the test says so, to tell its work from the processor's
                        "admit.projection.late-event-check-interval=1h")
                .run();
        admit = context.getBean(Admit.class);
        jdbc = context.getBean(JdbcTemplate.class);
        engine = context.getBean(AdmitEngine.class);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    private static UserId addUser(String name) {
        return admit.addHumanUser(SCOPE, NewHumanUser.of(ORG, name, "Late", new EmailAddress(name + "@example.com")))
                .userId();
    }

    /** A new user, once the list shows them. */
    private static UserId addListedUser(String name) {
        UserId user = addUser(name);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> admit.listUsers(SCOPE, ORG, 0, 1000).users().stream()
                        .anyMatch(view -> view.userId().equals(user)));
        return user;
    }

    /** The user's row as the list shows it, without any catch-up. */
    private static UserView listed(UserId user) {
        return admit.listUsers(SCOPE, ORG, 0, 1000).users().stream()
                .filter(view -> view.userId().equals(user))
                .findFirst()
                .orElseThrow();
    }

    /** A write transaction left open: it holds an {@code email.verified} for {@code user} at 1-based position 2. */
    private record OpenWrite(Connection connection, long globalIndex) implements AutoCloseable {

        static OpenWrite emailVerified(UserId user) throws Exception {
            return of(user, 1, new EmailVerified());
        }

        /** A write transaction left open: it holds the {@code human.added} of a user no one has seen yet. */
        static OpenWrite humanAdded(UserId user) throws Exception {
            return of(
                    user,
                    0,
                    new HumanUserAdded(user, ORG, "latecomer", "Late", "Comer", null, "en", "latecomer@example.com"));
        }

        private static OpenWrite of(UserId user, long sequence, Object event) throws Exception {
            Serializer serializer = EventSerialization.newEventSerializer();
            SerializedObject<byte[]> payload = serializer.serialize(event, byte[].class);
            Connection connection = context.getBean(DataSource.class).getConnection();
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO admit.domain_event_entry (event_identifier, meta_data, payload, payload_revision,
                        payload_type, time_stamp, aggregate_identifier, sequence_number, type)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING global_index""")) {
                insert.setString(1, UUID.randomUUID().toString());
                insert.setBytes(
                        2,
                        serializer
                                .serialize(MetaData.emptyInstance(), byte[].class)
                                .getData());
                insert.setBytes(3, payload.getData());
                insert.setString(4, payload.getType().getRevision());
                insert.setString(5, payload.getType().getName());
                insert.setString(6, DateTimeUtils.formatInstant(Instant.now()));
                insert.setString(7, user.value());
                insert.setLong(8, sequence);
                insert.setString(9, EventTypes.USER_AGGREGATE_TYPE);
                try (ResultSet index = insert.executeQuery()) {
                    index.next();
                    return new OpenWrite(connection, index.getLong(1));
                }
            }
        }

        void commit() throws Exception {
            connection.commit();
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }

    /**
     * Waits until the processor has passed the open write's index for good, and the store recorded the index as
     * passed. Axon drops gaps older than the gap timeout once a token holds more than 250 of them (or when they
     * fall 10,000 events behind): here, 300 indexes taken and never used, as rolled-back appends leave them.
     */
    private static void awaitPassed(OpenWrite write) {
        jdbc.queryForList(
                "SELECT nextval('admit.domain_event_entry_global_index_seq') FROM generate_series(1, 300)", Long.class);
        addUser("pusher" + UUID.randomUUID().toString().substring(0, 8));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    addUser("pusher" + UUID.randomUUID().toString().substring(0, 8));
                    return watched(write.globalIndex());
                });
    }

    /** Commits the open write once the processor has passed its index for good. */
    private static void commitOncePassed(OpenWrite write) throws Exception {
        try (write) {
            awaitPassed(write);
            write.commit();
        }
    }

    /** Whether a passed stretch holding the index is watched for late commits. */
    private static boolean watched(long globalIndex) {
        return jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM admit.passed_gaps WHERE ? BETWEEN from_index AND to_index)",
                Boolean.class,
                globalIndex);
    }

    @Test
    void a_users_last_event_committed_after_the_processor_passed_it_reaches_the_list_through_the_sweep()
            throws Exception {
        UserId user = addListedUser("lastlate");

        commitOncePassed(OpenWrite.emailVerified(user));
        assertThat(listed(user).details().sequence())
                .as("the processor will not go back for it")
                .isEqualTo(1);

        assertThat(engine.lateEventSweep().sweep()).isEqualTo(1);

        UserView row = listed(user);
        assertThat(row.details().sequence()).isEqualTo(2);
        assertThat(row.emailVerified()).isTrue();
        assertThat(engine.lateEventSweep().sweep()).as("nothing is left behind").isZero();
    }

    @Test
    void a_late_event_is_found_behind_more_than_a_thousand_other_passed_stretches() throws Exception {
        UserId user = addListedUser("crowdlate");
        // rolled-back appends, each leaving one index unused between two stored events: a stretch apiece (the
        // stored events are another organization's, so this class's lists stay short)
        OrgId crowd = new OrgId("434343");
        for (int i = 0; i < 1_100; i++) {
            jdbc.queryForObject("SELECT nextval('admit.domain_event_entry_global_index_seq')", Long.class);
            String name = "crowd" + UUID.randomUUID().toString().substring(0, 8);
            admit.addHumanUser(
                    OrgScope.only(crowd),
                    NewHumanUser.of(crowd, name, "Crowd", new EmailAddress(name + "@example.com")));
        }

        commitOncePassed(OpenWrite.emailVerified(user));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM admit.passed_gaps", Long.class))
                .isGreaterThan(1_000L);

        assertThat(engine.lateEventSweep().sweep()).isEqualTo(1);

        assertThat(listed(user).emailVerified()).isTrue();
    }

    @Test
    void a_passed_stretch_is_watched_while_a_transaction_that_may_fill_it_runs_and_let_go_once_none_can()
            throws Exception {
        UserId user = addListedUser("settling");

        try (OpenWrite late = OpenWrite.emailVerified(user)) {
            awaitPassed(late);
            assertThat(engine.lateEventSweep().sweep()).isZero();
            assertThat(watched(late.globalIndex()))
                    .as("the open transaction may still commit there")
                    .isTrue();
            late.commit();
            assertThat(engine.lateEventSweep().sweep()).isEqualTo(1);
            assertThat(watched(late.globalIndex()))
                    .as("no transaction that took an index there is left")
                    .isFalse();
        }
        assertThat(listed(user).emailVerified()).isTrue();
    }

    @Test
    void an_event_committed_after_the_processor_passed_it_is_applied_in_order_when_the_users_next_event_arrives()
            throws Exception {
        UserId user = addListedUser("nextlate");

        commitOncePassed(OpenWrite.emailVerified(user));
        // the user's next event reaches the processor, whose row lacks the late one before it
        long next = admit.createInviteCode(SCOPE, user, new InviteDelivery.ReturnCode())
                .details()
                .sequence();
        assertThat(next).isEqualTo(3);

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> listed(user).details().sequence() == 3);
        assertThat(listed(user).emailVerified())
                .as("the late event is applied, not skipped")
                .isTrue();
    }

    @Test
    void a_users_first_event_committed_late_stalls_no_one_and_the_user_appears_through_the_sweep() throws Exception {
        UserId latecomer = new UserId("4242" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L));
        UserId meanwhile;
        try (OpenWrite late = OpenWrite.humanAdded(latecomer)) {
            meanwhile = addUser("meanwhile");
            awaitPassed(late);
            late.commit();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> admit.listUsers(SCOPE, ORG, 0, 1000).users().stream()
                        .anyMatch(view -> view.userId().equals(meanwhile)));

        assertThat(engine.lateEventSweep().sweep()).isEqualTo(1);

        UserView row = listed(latecomer);
        assertThat(row.username()).isEqualTo("latecomer");
        assertThat(row.details().sequence()).isEqualTo(1);
    }
}
