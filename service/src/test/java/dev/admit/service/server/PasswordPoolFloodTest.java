package dev.admit.service.server;

import static dev.admit.service.server.ServiceClients.bearer;
import static dev.admit.service.server.ServiceClients.freshOrgId;
import static dev.admit.service.server.ServiceClients.newHuman;
import static dev.admit.service.server.ServiceClients.returnCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.admit.api.server.AdmitServer;
import dev.admit.service.AdmitApplication;
import dev.admit.service.server.ServiceClients.Answer;
import dev.admit.service.server.ServiceClients.Apis;
import dev.admit.service.server.ServiceClients.Tokens;
import dev.admit.service.server.ServiceClients.Transport;
import dev.admit.service.server.ServiceClients.UserApi;
import dev.admit.spring.boot.AdmitProperties;
import dev.admit.wire.user.v2.SetPasswordResponse;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A flood of SetPassword calls against a hashing pool of one thread and one queued request: the calls the pool has
 * no room for are refused at once with RESOURCE_EXHAUSTED (HTTP 429, {@code ADMIT-Pw8bz}), and verifications, which
 * hash nothing, keep being answered meanwhile.
 */
@SpringBootTest(
        classes = AdmitApplication.class,
        properties = {
            "spring.flyway.enabled=false",
            "admit.server.port=0",
            "logging.config=classpath:admit-logback.xml",
            "admit.password.pool-threads=1",
            "admit.password.queue-capacity=1"
        })
class PasswordPoolFloodTest {

    private static final int FLOODERS = 12;

    @DynamicPropertySource
    static void freshDataDirectory(DynamicPropertyRegistry registry) throws IOException {
        Path base = Path.of("target", "test-data");
        Files.createDirectories(base);
        Path dataDir = Files.createTempDirectory(base, "admit-flood-");
        registry.add("admit.data-dir", dataDir::toString);
    }

    @Autowired
    AdmitServer server;

    @Autowired
    AdmitProperties properties;

    @Test
    void a_flood_of_password_changes_is_refused_as_exhausted_while_verifications_keep_answering() throws Exception {
        String admin = bearer(Tokens.of(properties).admin());
        ExecutorService flood = Executors.newFixedThreadPool(FLOODERS);
        try (Apis apis = new Apis(server.port())) {
            UserApi grpc = apis.over(Transport.GRPC);
            List<String> targets = new ArrayList<>();
            for (int i = 0; i < FLOODERS; i++) {
                targets.add(grpc.addHumanUser(admin, newHuman(freshOrgId()).build())
                        .ok()
                        .getUserId());
            }
            String invited = grpc.addHumanUser(admin, newHuman(freshOrgId()).build())
                    .ok()
                    .getUserId();
            String code = grpc.createInviteCode(admin, returnCode(invited)).ok().getInviteCode();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
            List<Future<?>> flooders = new ArrayList<>();
            for (String target : targets) {
                flooders.add(flood.submit(() -> {
                    while (!stop.get()) {
                        Answer<SetPasswordResponse> answer = grpc.setPassword(admin, target, "Flood-Secret-1");
                        if (answer.failure() == null) {
                            accepted.incrementAndGet();
                        } else if (answer.failure().code() == Status.Code.RESOURCE_EXHAUSTED) {
                            answer.failure()
                                    .is(
                                            Status.Code.RESOURCE_EXHAUSTED,
                                            "ADMIT-Pw8bz",
                                            "Too many password operations at once; try again shortly");
                            refused.incrementAndGet();
                        } else {
                            unexpected.add(answer.failure().toString());
                        }
                    }
                }));
            }
            try {
                await().atMost(Duration.ofMinutes(2)).until(() -> refused.get() > 0 && accepted.get() > 0);

                int refusedBefore = refused.get();
                assertThat(grpc.verifyInviteCode(admin, invited, code)
                                .ok()
                                .getDetails()
                                .getSequence())
                        .as("a verification is answered while the pool is full")
                        .isEqualTo(4);
                // the flood went on around the verification: the pool was still full after it
                await().atMost(Duration.ofMinutes(2)).until(() -> refused.get() > refusedBefore);

                // on JSON the refusal is HTTP 429 with the same body as every other error
                UserApi json = apis.over(Transport.JSON);
                ServiceClients.Failure jsonRefusal = await().atMost(Duration.ofMinutes(2))
                        .until(
                                () -> json.setPassword(admin, targets.get(0), "Flood-Secret-2")
                                        .failure(),
                                java.util.Objects::nonNull);
                jsonRefusal.is(
                        Status.Code.RESOURCE_EXHAUSTED,
                        "ADMIT-Pw8bz",
                        "Too many password operations at once; try again shortly");
                assertThat(jsonRefusal.httpStatus()).isEqualTo(429);
            } finally {
                stop.set(true);
                for (Future<?> flooder : flooders) {
                    flooder.get(2, TimeUnit.MINUTES);
                }
            }
            assertThat(unexpected)
                    .as("every answer is a success or RESOURCE_EXHAUSTED")
                    .isEmpty();
        } finally {
            flood.shutdownNow();
        }
    }
}
