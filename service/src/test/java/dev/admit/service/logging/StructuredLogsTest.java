package dev.admit.service.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.admit.service.AdmitApplication;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonWriter;

/** With logging.structured.format.console, the service logs JSON lines, with no code, token or exception text. */
class StructuredLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void an_exceptions_message_and_stack_trace_are_left_out_and_its_classes_kept() throws Exception {
        LoggingEvent event = new LoggingEvent(
                getClass().getName(),
                new LoggerContext().getLogger("test"),
                Level.WARN,
                "statement failed",
                new IllegalStateException(
                        "wrapped", new SQLException("INSERT INTO users VALUES ('secret-value')", "23505")),
                null);
        JsonWriter<ILoggingEvent> writer = JsonWriter.of(members -> {
            members.add("message", ILoggingEvent::getFormattedMessage);
            members.add("error").usingMembers(error -> {
                error.add("type", e -> e.getThrowableProxy().getClassName());
                error.add("message", e -> e.getThrowableProxy().getMessage());
                error.add("stack_trace", e -> "at dev.admit.Secret(secret-value)");
            });
            members.add("full_message", e -> "statement failed secret-value");
            new ExceptionClassesOnly().customize(members);
        });

        JsonNode line = JSON.readTree(writer.writeToString(event));

        assertThat(line.toString()).doesNotContain("secret-value").doesNotContain("INSERT");
        assertThat(line.path("message").asText()).isEqualTo("statement failed");
        assertThat(line.path("error").path("type").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(line.path("exception_classes").asText())
                .isEqualTo(IllegalStateException.class.getName() + " <- " + SQLException.class.getName());
    }

    @Test
    void the_service_started_with_a_structured_format_logs_json_lines_without_codes_or_tokens() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "json-log-");
        Process service = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        AdmitApplication.class.getName(),
                        "--admit.server.port=0",
                        "--admit.management.port=0",
                        "--admit.data-dir=" + dataDir.toAbsolutePath(),
                        "--logging.structured.format.console=ecs")
                .redirectErrorStream(true)
                .start();
        service.getOutputStream().close();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CompletableFuture<Integer> listeningPort = new java.util.concurrent.CompletableFuture<>();
        Thread reader = new Thread(() -> {
            Pattern listening = Pattern.compile("Admit is listening on port (\\d+)");
            try (BufferedReader log =
                    new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = log.readLine(); line != null; line = log.readLine()) {
                    lines.add(line);
                    Matcher found = listening.matcher(line);
                    if (found.find()) {
                        listeningPort.complete(Integer.parseInt(found.group(1)));
                    }
                }
            } catch (java.io.IOException closed) {
                // the process ended
            }
            listeningPort.complete(-1);
        });
        reader.start();
        try {
            int port = listeningPort.get(120, TimeUnit.SECONDS);
            assertThat(port)
                    .as("the service listened:%n%s", String.join("\n", lines))
                    .isPositive();
            String token = Files.readString(dataDir.resolve("admin.jwt")).trim();
            HttpClient http = HttpClient.newHttpClient();
            String added = post(http, port, token, "/v2/users/human", """
                    {"organization":{"orgId":"5555"},"profile":{"givenName":"Json","familyName":"Log"},
                     "email":{"email":"json@example.com"}}""");
            String userId = JSON.readTree(added).path("userId").asText();
            String code = JSON.readTree(
                            post(http, port, token, "/v2/users/" + userId + "/invite_code", "{\"returnCode\":{}}"))
                    .path("inviteCode")
                    .asText();
            assertThat(code).matches("[A-Z0-9]{6}");
            post(
                    http,
                    port,
                    token,
                    "/v2/users/" + userId + "/invite_code/verify",
                    "{\"verificationCode\":\"" + code + "\"}");

            service.destroy();
            assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            for (String line : List.copyOf(lines)) {
                JsonNode json = JSON.readTree(line);
                assertThat(json.has("@timestamp")).as(line).isTrue();
                assertThat(json.path("log").path("level").asText()).as(line).isNotEmpty();
                assertThat(line).doesNotContain(code).doesNotContain(token);
            }
            assertThat(lines).anyMatch(line -> line.contains("Admit is listening"));
        } finally {
            service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String post(HttpClient http, int port, String token, String path, String body) throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }
}
