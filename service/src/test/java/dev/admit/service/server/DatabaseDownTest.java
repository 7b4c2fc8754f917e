package dev.admit.service.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.admit.api.security.AdminToken;
import dev.admit.api.server.AdmitServer;
import dev.admit.service.AdmitApplication;
import dev.admit.spring.boot.AdmitProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With its database gone, the service answers 503 with code 14 and nothing of the failure's insides, and its log
 * says so once: one WARN for the outage, no ERROR for each call.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseDownTest {

    @Test
    void every_call_is_answered_unavailable_without_a_trace_while_the_database_is_down_and_works_once_it_is_back(
            CapturedOutput output) throws Exception {
        Path dataDir =
                Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "admit-db-down-");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("external-pg"))
                // keep the data when it stops: the same database comes back later in the test
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .start();
        int databasePort = postgres.getPort();
        EmbeddedPostgres restarted = null;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AdmitApplication.class)
                .properties(
                        "admit.data-dir=" + dataDir,
                        "spring.flyway.enabled=false",
                        "admit.server.port=0",
                        "spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                        "spring.datasource.username=postgres",
                        "admit.crypto.allow-generated-keys=true",
                        "spring.datasource.hikari.connection-timeout=1000",
                        "logging.config=classpath:admit-logback.xml")
                .run()) {
            int port = context.getBean(AdmitServer.class).port();
            String token = Files.readString(
                            context.getBean(AdmitProperties.class).dataDir().resolve(AdminToken.TOKEN_FILE))
                    .trim();
            HttpClient http = HttpClient.newHttpClient();
            assertThat(get(http, port, token, "nobody").statusCode()).isEqualTo(404);

            postgres.close();
            int outageStart = output.getOut().length();

            for (HttpResponse<String> answer : new HttpResponse[] {
                get(http, port, token, "nobody"),
                post(http, port, token, "/v2/users/someone/invite_code/verify", "{\"verificationCode\":\"ABCDEF\"}"),
                post(
                        http,
                        port,
                        token,
                        "/v2/users/human",
                        "{\"organization\":{\"orgId\":\"o\"},\"profile\":{\"givenName\":\"A\",\"familyName\":\"B\"},"
                                + "\"email\":{\"email\":\"a@example.com\"}}")
            }) {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                JsonNode body = new ObjectMapper().readTree(answer.body());
                assertThat(body.get("code").asInt()).isEqualTo(14);
                assertThat(answer.body())
                        .doesNotContain("Exception", "SQL", "postgres", "jdbc", "\tat ", "SELECT", "INSERT");
            }

            String duringOutage = output.getOut().substring(outageStart);
            assertThat(duringOutage.lines().filter(line -> line.contains(" ERROR ")))
                    .as("no call logs an error of its own")
                    .isEmpty();
            assertThat(duringOutage.lines().filter(line -> line.contains("The database cannot be reached")))
                    .as("one warning for the outage")
                    .hasSize(1);

            restarted = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.resolve("external-pg"))
                    .setCleanDataDirectory(false)
                    .setPort(databasePort)
                    .setRegisterShutdownHook(false)
                    .start();
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> get(http, port, token, "nobody").statusCode() == 404);
            assertThat(post(
                                    http,
                                    port,
                                    token,
                                    "/v2/users/human",
                                    "{\"organization\":{\"orgId\":\"o\"},\"profile\":{\"givenName\":\"A\","
                                            + "\"familyName\":\"B\"},\"email\":{\"email\":\"back@example.com\"}}")
                            .statusCode())
                    .as("writes work again once the database is back")
                    .isEqualTo(200);
            assertThat(output.getOut().substring(outageStart)).contains("The database is reachable again");
        } finally {
            postgres.close();
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String token, String user) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/users/" + user))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient http, int port, String token, String path, String body)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
