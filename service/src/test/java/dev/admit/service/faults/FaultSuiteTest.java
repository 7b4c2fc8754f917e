package dev.admit.service.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.admit.service.faults.ServiceNode.Answer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Faults on the running service, in a quick form: the service killed with SIGKILL in the middle of a load, its
 * PostgreSQL stopped and started under load, and two nodes on one database racing for one code and taking over
 * each other's projection. Acknowledged writes must all be there afterwards.
 */
class FaultSuiteTest {

    private static final String ORG = "777000777";

    private Path dir;
    private EmbeddedPostgres postgres;
    private JdbcTemplate jdbc;
    private final String key = newKey();
    private final List<ServiceNode> nodes = new ArrayList<>();

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @BeforeEach
    void database() throws Exception {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "faults-");
        postgres = startPostgres(0);
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    private EmbeddedPostgres startPostgres(int port) throws Exception {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("pg"))
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false);
        if (port != 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (ServiceNode node : nodes) {
            node.close();
        }
        postgres.close();
    }

    private ServiceNode node(String name) throws Exception {
        ServiceNode node = ServiceNode.start(dir.resolve(name), postgres.getJdbcUrl("postgres", "postgres"), key);
        nodes.add(node);
        return node;
    }

    private List<String> streamOf(String userId) {
        return jdbc.queryForList(
                "SELECT payload_type FROM admit.domain_event_entry WHERE aggregate_identifier = ? "
                        + "ORDER BY sequence_number",
                String.class,
                userId);
    }

    @Test
    void a_kill_9_in_the_middle_of_a_verify_load_loses_no_acknowledged_verification() throws Exception {
        ServiceNode first = node("node-a");
        ConcurrentLinkedQueue<String[]> invitees = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 200; i++) {
            invitees.add(first.invitee(ORG, "killed" + i));
        }
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        CountDownLatch halfway = new CountDownLatch(50);
        ExecutorService callers = Executors.newFixedThreadPool(16);
        for (int i = 0; i < 16; i++) {
            callers.submit(() -> {
                String[] invitee;
                while ((invitee = invitees.poll()) != null) {
                    try {
                        if (first.verify(invitee[0], invitee[1]).status() == 200) {
                            acknowledged.add(invitee[0]);
                            halfway.countDown();
                        }
                    } catch (RuntimeException connectionLost) {
                        return;
                    }
                }
            });
        }
        assertThat(halfway.await(60, TimeUnit.SECONDS)).isTrue();
        first.kill();
        callers.shutdown();
        assertThat(callers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(invitees).as("the kill came in the middle of the load").isNotEmpty();

        ServiceNode second = node("node-a");
        for (String userId : acknowledged) {
            Answer read = second.get("/v2/users/" + userId);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body().at("/user/human/email/isVerified").asBoolean())
                    .as("acknowledged verification of %s", userId)
                    .isTrue();
        }
        // no verification is half stored: a success is always followed by the verified email
        Integer halves = jdbc.queryForObject("""
                SELECT count(*) FROM admit.domain_event_entry s WHERE s.payload_type = 'user.human.invite.check.succeeded'
                AND NOT EXISTS (SELECT 1 FROM admit.domain_event_entry v WHERE v.aggregate_identifier = s.aggregate_identifier
                    AND v.payload_type = 'user.human.email.verified' AND v.sequence_number = s.sequence_number + 1)""", Integer.class);
        assertThat(halves).isZero();
    }

    @Test
    void postgresql_stopped_and_started_under_load_gives_only_unavailable_and_the_service_recovers_by_itself()
            throws Exception {
        ServiceNode service = node("node-a");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> badAnswers = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger okAfterRestart = new AtomicInteger();
        AtomicBoolean restarted = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<Future<?>> load = new ArrayList<>();
        AtomicInteger names = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            load.add(callers.submit(() -> {
                while (running.get()) {
                    String name = "restart" + names.incrementAndGet();
                    Answer added = service.post("/v2/users/human", """
                            {"organization":{"orgId":"%s"},"profile":{"givenName":"%s","familyName":"Down"},
                             "email":{"email":"%s@example.com"}}""".formatted(ORG, name, name));
                    statuses.computeIfAbsent(added.status(), s -> new AtomicInteger())
                            .incrementAndGet();
                    if (added.status() == 200) {
                        acknowledged.add(added.body().path("userId").asText());
                        if (restarted.get()) {
                            okAfterRestart.incrementAndGet();
                        }
                    } else if (added.status() != 503
                            || added.body().path("code").asInt() != 14) {
                        synchronized (badAnswers) {
                            badAnswers.add(added.status() + " " + added.body());
                        }
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 50);
        int port = postgres.getPort();
        postgres.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> statuses.containsKey(503));
        postgres = startPostgres(port);
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
        restarted.set(true);
        await().atMost(Duration.ofSeconds(60)).until(() -> okAfterRestart.get() >= 50);
        running.set(false);
        for (Future<?> caller : load) {
            caller.get(60, TimeUnit.SECONDS);
        }
        callers.shutdown();

        assertThat(badAnswers).as("only UNAVAILABLE while the database is away").isEmpty();
        Set<String> stored = Set.copyOf(jdbc.queryForList(
                "SELECT aggregate_identifier FROM admit.domain_event_entry WHERE sequence_number = 0", String.class));
        assertThat(stored).containsAll(acknowledged);
    }

    @Test
    void two_nodes_racing_for_one_code_give_exactly_one_success_and_each_takes_over_the_others_projection()
            throws Exception {
        ServiceNode a = node("node-a");
        ServiceNode b = node("node-b");
        String[] invitee = a.invitee(ORG, "raced");
        ExecutorService callers = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            ServiceNode node = i % 2 == 0 ? a : b;
            answers.add(callers.submit(() -> {
                start.await();
                return node.verify(invitee[0], invitee[1]);
            }));
        }
        start.countDown();
        int successes = 0;
        for (Future<Answer> answer : answers) {
            Answer verified = answer.get(60, TimeUnit.SECONDS);
            if (verified.status() == 200) {
                successes++;
            } else {
                assertThat(verified.status()).as("%s", verified.body()).isEqualTo(400);
            }
        }
        callers.shutdown();
        assertThat(successes).isEqualTo(1);
        assertThat(streamOf(invitee[0]).stream().filter("user.human.invite.check.succeeded"::equals))
                .hasSize(1);

        // whichever node holds the users projection's segment is killed; the other takes it over
        String owner = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> jdbc.queryForObject(
                                "SELECT max(owner) FROM admit.token_entry WHERE processor_name = 'admit-users'",
                                String.class),
                        held -> held != null);
        ServiceNode holder = ownerOf(owner, a, b);
        ServiceNode survivor = holder == a ? b : a;
        holder.kill();
        String[] later = survivor.invitee(ORG, "afterfailover");
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM admit.users WHERE user_id = ? AND sequence = 2",
                                Integer.class,
                                later[0])
                        == 1);
        assertThat(jdbc.queryForObject(
                        "SELECT max(owner) FROM admit.token_entry WHERE processor_name = 'admit-users'", String.class))
                .isNotEqualTo(owner);
    }

    /** Axon's owner is "pid@host": the node whose process has that pid. */
    private static ServiceNode ownerOf(String owner, ServiceNode a, ServiceNode b) {
        long pid = Long.parseLong(owner.substring(0, owner.indexOf('@')));
        if (a.pid() == pid) {
            return a;
        }
        assertThat(b.pid()).as("the owner %s is one of the two nodes", owner).isEqualTo(pid);
        return b;
    }
}
