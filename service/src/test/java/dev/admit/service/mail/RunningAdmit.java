package dev.admit.service.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.admit.api.security.AdminToken;
import dev.admit.api.server.AdmitServer;
import dev.admit.service.AdmitApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole service, started by a test on a data directory of the test's choosing (its embedded PostgreSQL, keys
 * and admin token live there, so a second start on the same directory is a restart), spoken to over its real JSON
 * API with the generated admin token.
 */
final class RunningAdmit implements AutoCloseable {

    /** A JSON answer: the HTTP status and the parsed body. */
    record Answer(int status, JsonNode body) {}

    /** One row of the mail outbox. */
    record OutboxRow(String state, int attempts, String lastError) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigurableApplicationContext context;
    private final HttpClient http;
    private final URI base;
    private final String token;

    private RunningAdmit(ConfigurableApplicationContext context, Path dataDir) throws IOException {
        this.context = context;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.base = URI.create(
                "http://127.0.0.1:" + context.getBean(AdmitServer.class).port());
        this.token = Files.readString(dataDir.resolve(AdminToken.TOKEN_FILE), StandardCharsets.US_ASCII)
                .trim();
    }

    /** A fresh data directory (so a fresh database) under {@code target/test-data}. */
    static Path newDataDir() {
        try {
            Path base = Path.of("target", "test-data");
            Files.createDirectories(base);
            return Files.createTempDirectory(base, "admit-mail-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings every mail test shares: quick polls and back-off, so that retries happen within a test. */
    static Map<String, String> quickMailSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("admit.mail.poll-interval", "200ms");
        settings.put("admit.mail.initial-backoff", "200ms");
        settings.put("admit.mail.max-backoff", "1s");
        return settings;
    }

    /** {@link #quickMailSettings()} plus SMTP on the loopback {@code port}. */
    static Map<String, String> smtpSettings(int port) {
        Map<String, String> settings = quickMailSettings();
        settings.put("admit.mail.smtp.host", "127.0.0.1");
        settings.put("admit.mail.smtp.port", Integer.toString(port));
        settings.put("admit.mail.smtp.properties.mail.smtp.connectiontimeout", "5000");
        settings.put("admit.mail.smtp.properties.mail.smtp.timeout", "10000");
        settings.put("admit.mail.smtp.properties.mail.smtp.writetimeout", "10000");
        return settings;
    }

    static RunningAdmit start(Path dataDir, Map<String, String> settings) {
        List<String> properties = new ArrayList<>(List.of(
                "admit.data-dir=" + dataDir,
                "spring.flyway.enabled=false",
                "admit.server.port=0",
                "spring.main.banner-mode=off"));
        settings.forEach((key, value) -> properties.add(key + "=" + value));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AdmitApplication.class)
                .main(AdmitApplication.class)
                .web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new))
                .run();
        try {
            return new RunningAdmit(context, dataDir);
        } catch (IOException | RuntimeException e) {
            context.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    // --- the JSON API

    Answer post(String path, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Answer(response.statusCode(), text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Adds a human user in {@code orgId} and returns its generated id. */
    String addHuman(String orgId, String givenName, String familyName, String email) {
        Answer answer = post(
                "/v2/users/human",
                Map.of(
                        "organization", Map.of("orgId", orgId),
                        "profile", Map.of("givenName", givenName, "familyName", familyName),
                        "email", Map.of("email", email)));
        assertThat(answer.status()).as("AddHumanUser %s", answer.body()).isEqualTo(200);
        assertThat(answer.body().path("details").path("sequence").asText()).isEqualTo("1");
        return answer.body().path("userId").asText();
    }

    Answer createInviteCode(String userId, Object body) {
        return post("/v2/users/" + userId + "/invite_code", body);
    }

    Answer resendInviteCode(String userId) {
        return post("/v2/users/" + userId + "/invite_code/resend", Map.of());
    }

    Answer verifyInviteCode(String userId, String code) {
        return post("/v2/users/" + userId + "/invite_code/verify", Map.of("verificationCode", code));
    }

    static Map<String, Object> sendCode(String urlTemplate, String applicationName) {
        return Map.of("sendCode", Map.of("urlTemplate", urlTemplate, "applicationName", applicationName));
    }

    static Map<String, Object> returnCode() {
        return Map.of("returnCode", Map.of());
    }

    static ObjectNode noVerificationField() {
        return JSON.createObjectNode();
    }

    // --- what is stored

    /** The stored event types of the user's stream, in order. */
    List<String> streamOf(String userId) {
        return jdbc().queryForList(
                        "SELECT payload_type FROM admit.domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number",
                        String.class,
                        userId);
    }

    /** The outbox row of the code issued at the 1-based {@code codeSequence}. */
    Optional<OutboxRow> outboxRow(String userId, long codeSequence) {
        return jdbc()
                .query(
                        "SELECT state, attempts, last_error FROM admit.invite_mail_outbox WHERE user_id = ? AND code_sequence = ?",
                        (rs, i) -> new OutboxRow(rs.getString(1), rs.getInt(2), rs.getString(3)),
                        userId,
                        codeSequence)
                .stream()
                .findFirst();
    }

    int outboxRowsOf(String userId) {
        return jdbc().queryForObject(
                        "SELECT count(*) FROM admit.invite_mail_outbox WHERE user_id = ?", Integer.class, userId);
    }

    int outboxRows() {
        return jdbc().queryForObject("SELECT count(*) FROM admit.invite_mail_outbox", Integer.class);
    }

    boolean isSent(String userId, long codeSequence) {
        return outboxRow(userId, codeSequence)
                .map(row -> row.state().equals("SENT"))
                .orElse(false);
    }

    /**
     * The plain codes appear nowhere they must not: not in the log output, not in the mail outbox, not in any
     * stored event or snapshot (payload or metadata).
     */
    void assertCodesNeitherLoggedNorStored(CapturedOutput output, String... codes) {
        assertThat(codes).isNotEmpty().doesNotContainNull();
        // proves that what the service logs through the logging system lands in the captured output
        String marker = "looking for leaked invite codes " + UUID.randomUUID();
        LoggerFactory.getLogger(RunningAdmit.class).warn(marker);
        String log = output.getAll();
        assertThat(log).as("captured log output").contains(marker);
        List<String> outbox = jdbc().queryForList("SELECT t::text FROM admit.invite_mail_outbox t", String.class);
        List<String> events = jdbc().queryForList(
                        "SELECT convert_from(payload, 'UTF8') || ' ' || coalesce(convert_from(meta_data, 'UTF8'), '')"
                                + " FROM admit.domain_event_entry",
                        String.class);
        List<String> snapshots = jdbc().queryForList(
                        "SELECT convert_from(payload, 'UTF8') FROM admit.snapshot_event_entry", String.class);
        assertThat(events).as("stored events").isNotEmpty();
        for (String code : codes) {
            assertThat(log).as("log output").doesNotContain(code);
            assertThat(outbox).as("invite_mail_outbox").noneMatch(row -> row.contains(code));
            assertThat(events).as("domain_event_entry").noneMatch(event -> event.contains(code));
            assertThat(snapshots).as("snapshot_event_entry").noneMatch(snapshot -> snapshot.contains(code));
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
