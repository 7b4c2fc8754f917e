package dev.admit.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.projection.FindUserQuery;
import dev.admit.projection.UserQueries;
import dev.admit.projection.UserView;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database first used by the standalone service, then by the host: the host's Flyway migrates its own schema
 * without asking for a baseline, and Admit's users are all there.
 */
class HostAfterStandaloneServiceTest {

    private static final Pattern LISTENING = Pattern.compile("Admit is listening on port (\\d+)");

    @Test
    void the_host_takes_over_a_data_directory_the_standalone_service_wrote() throws Exception {
        Path dataDir = HostTestSupport.freshDataDir("host-after-service");
        Path serviceJar = Path.of(System.getProperty("admit.service.jar"));
        assertThat(serviceJar).as("the reactor builds the service before this example").exists();

        String userId;
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        serviceJar.toString(),
                        "--admit.server.port=0",
                        "--admit.management.port=0",
                        "--admit.data-dir=" + dataDir)
                .redirectErrorStream(true);
        // the class-data archive's dump at the first stop is the service's start-up business, not this test's
        builder.environment().put("ADMIT_CLASS_DATA_ARCHIVE", "off");
        Process service = builder.start();
        service.getOutputStream().close();
        try {
            int port = listeningPort(service);
            String token = Files.readString(dataDir.resolve("admin.jwt")).trim();
            var added = HostTestSupport.post(port, "/v2/users/human", token, """
                    {"organization": {"orgId": "4242"},
                     "profile": {"givenName": "Margaret", "familyName": "Hamilton"},
                     "email": {"email": "margaret@example.com", "isVerified": true}}""");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            userId = HostTestSupport.field(added.body(), "userId");
        } finally {
            service.destroy();
            assertThat(service.waitFor(60, TimeUnit.SECONDS)).as("the service stops on SIGTERM").isTrue();
        }

        try (ConfigurableApplicationContext host = new SpringApplicationBuilder(HostApplication.class)
                .properties("admit.server.enabled=false", "server.port=0", "admit.data-dir=" + dataDir)
                .run()) {
            UserView user = host.getBean(UserQueries.class)
                    .find(new FindUserQuery(new UserId(userId), OrgScope.only(new OrgId("4242"))))
                    .orElseThrow();
            assertThat(user.emailVerified()).isTrue();
            JdbcTemplate jdbc = host.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForList(
                            "SELECT version FROM public.flyway_schema_history WHERE success ORDER BY installed_rank",
                            String.class))
                    .containsExactly("1");
            InviteFlowInJava.runsBesideTheHostsOwnAggregate(host);
        }
    }

    /** Reads the service's log until it says where it listens. */
    private static int listeningPort(Process service) throws Exception {
        BufferedReader log =
                new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = log.readLine(); line != null; line = log.readLine()) {
            seen.append(line).append('\n');
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                Thread drain = new Thread(() -> log.lines().forEach(ignored -> {}), "service-log");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(listening.group(1));
            }
        }
        throw new AssertionError("the service ended before it listened:\n" + seen);
    }
}
