package dev.admit.service.persistence;

import static dev.admit.service.persistence.ProjectionTestSupport.addUser;
import static dev.admit.service.persistence.ProjectionTestSupport.freshOrg;
import static dev.admit.service.persistence.ProjectionTestSupport.laggingRows;
import static dev.admit.service.persistence.ProjectionTestSupport.row;
import static dev.admit.service.persistence.ProjectionTestSupport.tokenPositions;
import static dev.admit.service.persistence.ProjectionTestSupport.wrongCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.projection.FindUserQuery;
import dev.admit.projection.UserQueries;
import dev.admit.projection.UserView;
import dev.admit.projection.UsersProjectionReplay;
import dev.admit.service.AdmitApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service stopped and started again on the same data directory: its embedded PostgreSQL stops cleanly, and the
 * second run finds the users, the invite-code keys, the attempt counts and the projection's position of the first.
 */
class RestartTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    @Test
    void a_restart_on_the_same_data_directory_keeps_users_codes_failed_attempts_and_the_projection_position()
            throws Exception {
        Path dataDir = freshDataDirectory();
        Path keyFile = dataDir.resolve("invite-code-keys.properties");
        ConfigurableApplicationContext first = null;
        ConfigurableApplicationContext second = null;
        try {
            first = start(dataDir);
            Service one = new Service(first);
            OrgId org = freshOrg();
            UserId verifying = one.ids.next();
            UserId exhausting = one.ids.next();
            UserId canary = one.ids.next();

            addUser(one.commands, verifying, org, false);
            String verifyingCode = one.returnedCode(verifying);
            VerifyInviteCodeOutcome failed = one.verify(verifying, wrongCode(verifyingCode));
            assertThat(failed.details().sequence()).isEqualTo(3);

            addUser(one.commands, exhausting, org, false);
            String exhaustingCode = one.returnedCode(exhausting);
            one.verify(exhausting, wrongCode(exhaustingCode));
            assertThat(one.verify(exhausting, wrongCode(exhaustingCode))
                            .details()
                            .sequence())
                    .isEqualTo(4);

            addUser(one.commands, canary, org, false);
            one.returnedCode(canary);

            one.replay.awaitCaughtUp(CATCH_UP);
            await().atMost(CATCH_UP).until(() -> laggingRows(one.jdbc) == 0);
            // a marker only a re-application of the canary's stream would overwrite: its row claims one event less
            assertThat(one.jdbc.update("UPDATE admit.users SET sequence = 1 WHERE user_id = ?", canary.value()))
                    .isOne();
            Map<Integer, OptionalLong> tokensBefore = tokenPositions(one.jdbc, one.serializer);
            assertThat(tokensBefore)
                    .isNotEmpty()
                    .allSatisfy((segment, position) -> assertThat(position).isPresent());
            byte[] keysBefore = Files.readAllBytes(keyFile);
            int port = first.getBean(EmbeddedPostgres.class).getPort();
            HikariDataSource firstDataSource = first.getBean(HikariDataSource.class);

            first.close();

            assertThat(firstDataSource.isClosed()).isTrue();
            assertThatThrownBy(() -> connect(port))
                    .as("the first run's PostgreSQL no longer accepts connections on port %d", port)
                    .isInstanceOf(IOException.class);

            second = start(dataDir);
            Service two = new Service(second);

            assertThat(Files.readAllBytes(keyFile)).as("the key file is reused").isEqualTo(keysBefore);
            assertThat(tokenPositions(two.jdbc, two.serializer))
                    .as("the users processor's tokens survive the restart")
                    .isEqualTo(tokensBefore);
            two.replay.awaitCaughtUp(CATCH_UP);
            assertThat(row(two.jdbc, canary))
                    .as("the users processor did not apply the streams again from the start")
                    .hasValueSatisfying(row -> assertThat(row.sequence()).isEqualTo(1));

            assertThat(two.queries.find(new FindUserQuery(verifying, OrgScope.any())))
                    .hasValueSatisfying(view -> {
                        assertThat(view.details().sequence()).isEqualTo(3);
                        assertThat(view.details().changeDate())
                                .isEqualTo(failed.details().changeDate());
                        assertThat(view.emailVerified()).isFalse();
                    });
            VerifyInviteCodeOutcome verified = two.verify(verifying, verifyingCode);
            assertThat(verified).isInstanceOf(VerifyInviteCodeOutcome.Verified.class);
            assertThat(verified.details().sequence()).isEqualTo(5);
            assertThat(verified.details().resourceOwner()).isEqualTo(org);
            UserView view = two.queries
                    .find(new FindUserQuery(verifying, OrgScope.any()))
                    .orElseThrow();
            assertThat(view.emailVerified()).isTrue();
            assertThat(view.details().sequence()).isEqualTo(5);
            assertThat(view.details().changeDate()).isEqualTo(verified.details().changeDate());

            VerifyInviteCodeOutcome third = two.verify(exhausting, wrongCode(exhaustingCode));
            assertThat(third)
                    .isEqualTo(
                            new VerifyInviteCodeOutcome.Rejected(ErrorCatalogue.INVITE_CODE_INVALID, third.details()));
            assertThat(third.details().sequence()).isEqualTo(5);
            VerifyInviteCodeOutcome afterThird = two.verify(exhausting, exhaustingCode);
            assertThat(afterThird)
                    .as("the third failure, two of them before the restart, killed the code")
                    .isInstanceOf(VerifyInviteCodeOutcome.Rejected.class);
            assertThat(afterThird.details().sequence()).isEqualTo(6);
            assertThat(two.failureReasonAt(exhausting, 5)).contains("WRONG_CODE");
            assertThat(two.failureReasonAt(exhausting, 6)).contains("NO_ACTIVE_CODE");
        } finally {
            if (second != null) {
                second.close();
            }
            if (first != null) {
                first.close();
            }
        }
    }

    @Test
    void the_embedded_database_acknowledges_a_commit_only_once_it_is_durable() throws Exception {
        ConfigurableApplicationContext context = null;
        try {
            context = start(freshDataDirectory());
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);

            Map<String, String> settings = Map.of(
                    "fsync", jdbc.queryForObject("SHOW fsync", String.class),
                    "synchronous_commit", jdbc.queryForObject("SHOW synchronous_commit", String.class));

            assertThat(settings)
                    .as("without fsync a crash of the machine can corrupt the stored events; without synchronous_commit"
                            + " a crash can lose events whose write was already answered")
                    .isEqualTo(Map.of("fsync", "on", "synchronous_commit", "on"));
        } finally {
            if (context != null) {
                context.close();
            }
        }
    }

    private static Path freshDataDirectory() throws IOException {
        Path base = Path.of("target", "test-data");
        Files.createDirectories(base);
        return Files.createTempDirectory(base, "restart-");
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(AdmitApplication.class)
                .properties("admit.data-dir=" + dataDir, "spring.flyway.enabled=false", "admit.server.port=0")
                .run();
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        }
    }

    /** The beans of one run of the service. */
    private static final class Service {
        final CommandGateway commands;
        final UserQueries queries;
        final UserIdGenerator ids;
        final UsersProjectionReplay replay;
        final JdbcTemplate jdbc;
        final Serializer serializer;

        Service(ConfigurableApplicationContext context) {
            commands = context.getBean(CommandGateway.class);
            queries = context.getBean(UserQueries.class);
            ids = context.getBean(UserIdGenerator.class);
            replay = context.getBean(UsersProjectionReplay.class);
            jdbc = context.getBean(JdbcTemplate.class);
            serializer = context.getBean(Serializer.class);
        }

        String returnedCode(UserId user) {
            return commands.<CreateInviteCodeResult>sendAndWait(
                            new CreateInviteCodeCommand(user, OrgScope.any(), new InviteDelivery.ReturnCode()))
                    .returnedCode()
                    .orElseThrow()
                    .reveal();
        }

        VerifyInviteCodeOutcome verify(UserId user, String code) {
            return commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), code));
        }

        String failureReasonAt(UserId user, long sequence) {
            return jdbc.queryForObject(
                    "SELECT payload_type || ' ' || convert_from(payload, 'UTF8') FROM admit.domain_event_entry"
                            + " WHERE aggregate_identifier = ? AND sequence_number = ?",
                    String.class,
                    user.value(),
                    sequence - 1);
        }
    }
}
