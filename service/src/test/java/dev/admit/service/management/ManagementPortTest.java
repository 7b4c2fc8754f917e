package dev.admit.service.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.admit.api.management.ManagementServer;
import dev.admit.api.server.AdmitServer;
import dev.admit.core.api.Admit;
import dev.admit.core.api.NewHumanUser;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.projection.UsersProjector;
import dev.admit.service.AdmitApplication;
import dev.admit.spring.boot.AdmitEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The management port: Prometheus metrics, and a readiness that turns DOWN while the projection lags. */
class ManagementPortTest {

    private static final OrgId ORG = new OrgId("909090");
    private static ConfigurableApplicationContext context;
    private static HttpClient http;
    private static int port;
    private static int apiPort;
    private static String adminToken;
    private static byte[] secret;

    @BeforeAll
    static void start() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "mgmt-");
        context = new SpringApplicationBuilder(AdmitApplication.class)
                .properties(
                        "admit.data-dir=" + dataDir,
                        "admit.server.port=0",
                        "admit.mail.enabled=false",
                        "spring.flyway.enabled=false",
                        "logging.config=classpath:admit-logback.xml",
                        "admit.management.enabled=true",
                        "admit.management.port=0",
                        "admit.management.ready-max-lag=1s")
                .run();
        port = context.getBean(ManagementServer.class).port();
        apiPort = context.getBean(AdmitServer.class).port();
        adminToken = Files.readString(dataDir.resolve("admin.jwt")).trim();
        secret = java.util.Base64.getDecoder()
                .decode(Files.readString(dataDir.resolve(dev.admit.api.security.AdminToken.SECRET_FILE))
                        .trim());
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> api(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double metric(String text, String name) {
        return metric(text, name, "");
    }

    /** The value of the series named {@code name} whose labels contain {@code labels}. */
    private static double metric(String text, String name, String labels) {
        Matcher value = Pattern.compile("(?m)^" + name + "(\\{[^}]*" + Pattern.quote(labels) + "[^}]*})? (\\S+)$")
                .matcher(text);
        assertThat(value.find()).as("%s in %n%s", name, text).isTrue();
        return Double.parseDouble(value.group(2));
    }

    @Test
    void verifications_are_counted_by_outcome_codes_by_delivery_and_requests_timed_by_method_and_protocol()
            throws Exception {
        String before = get("/metrics").body();
        HttpResponse<String> added = api("/v2/users/human", """
                {"organization":{"orgId":"909090"},"profile":{"givenName":"Count","familyName":"Me"},
                 "email":{"email":"count@example.com"}}""");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        String userId = added.body().replaceAll(".*\"userId\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> code = api("/v2/users/" + userId + "/invite_code", "{\"returnCode\":{}}");
        String plain = code.body().replaceAll(".*\"inviteCode\":\"([^\"]+)\".*", "$1");
        String wrong = plain.equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
        assertThat(api("/v2/users/" + userId + "/invite_code/verify", "{\"verificationCode\":\"" + wrong + "\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(api("/v2/users/" + userId + "/invite_code/verify", "{\"verificationCode\":\"" + plain + "\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(api("/v2/users/nobody-here/invite_code/verify", "{\"verificationCode\":\"ABCDEF\"}")
                        .statusCode())
                .isEqualTo(404);

        String after = get("/metrics").body();
        for (String outcome : new String[] {"success", "invalid", "not_found"}) {
            assertThat(metric(after, "admit_invite_verifications_total", "outcome=\"" + outcome + "\"")
                            - metric(before, "admit_invite_verifications_total", "outcome=\"" + outcome + "\""))
                    .as(outcome)
                    .isEqualTo(1);
        }
        assertThat(metric(after, "admit_invite_codes_issued_total", "delivery=\"returned\"")
                        - metric(before, "admit_invite_codes_issued_total", "delivery=\"returned\""))
                .isEqualTo(1);
        assertThat(metric(after, "admit_refusals_total", "id=\"COMMAND-Wgn4q\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(metric(after, "admit_server_total_duration_seconds_count", "protocol=\"json\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(after)
                .containsPattern("admit_server_total_duration_seconds_bucket\\{[^}]*method=\"VerifyInviteCode\"");
        assertThat(metric(after, "commandBus_allTimer_seconds_count", "payloadType=\"VerifyInviteCodeCommand\""))
                .as("Axon's own monitors")
                .isGreaterThanOrEqualTo(2);
        assertThat(after).containsPattern("(?m)^eventProcessor_\\w+\\{[^}]*admit-users");
        assertThat(after).containsPattern("(?m)^eventProcessor_latency\\{processorName=\"admit-users\"} ");
    }

    @Test
    void metrics_are_served_in_prometheus_text_with_the_projections_and_the_jvms() throws Exception {
        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(metric(metrics.body(), "admit_projection_lag_events")).isGreaterThanOrEqualTo(0);
        assertThat(metric(metrics.body(), "admit_projection_parked_events")).isZero();
        context.getBean(org.springframework.jdbc.core.JdbcTemplate.class)
                .update(
                        "INSERT INTO admit.invite_mail_outbox (user_id, code_sequence, state, attempts, next_attempt_at, "
                                + "created_at, updated_at) VALUES ('gauged', 2, 'FAILED', 12, now(), now(), now())");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            String m = get("/metrics").body();
            return metric(m, "admit_mail_outbox", "state=\"FAILED\"") == 1;
        });
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("process_cpu_usage");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void readiness_turns_down_with_a_reason_while_the_projection_is_stopped_and_up_once_it_caught_up()
            throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health/ready").statusCode() == 200);
        StreamingEventProcessor processor = context.getBean(AdmitEngine.class)
                .eventProcessing()
                .eventProcessor(UsersProjector.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow();
        processor.shutDown();
        try {
            Admit admit = context.getBean(Admit.class);
            admit.addHumanUser(
                    OrgScope.only(ORG), NewHumanUser.of(ORG, "lagging", "Behind", new EmailAddress("l@example.com")));

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> get("/health/ready").statusCode() == 503);
            HttpResponse<String> down = get("/health/ready");
            assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("users projection trails");
            String metrics = get("/metrics").body();
            assertThat(metric(metrics, "admit_projection_lag_events")).isGreaterThanOrEqualTo(1);
            assertThat(metric(metrics, "admit_projection_lag_seconds")).isGreaterThan(1);
        } finally {
            processor.start();
        }
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> get("/health/ready").statusCode() == 200);
        assertThat(metric(get("/metrics").body(), "admit_projection_lag_events"))
                .isZero();
    }

    private static HttpResponse<String> operation(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String scope, String orgId) throws Exception {
        com.nimbusds.jwt.JWTClaimsSet.Builder claims = new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .subject("operator")
                .claim("scope", scope)
                .expirationTime(java.util.Date.from(java.time.Instant.now().plus(Duration.ofHours(1))));
        if (orgId != null) {
            claims.claim("org_id", orgId);
        }
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), claims.build());
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret));
        return jwt.serialize();
    }

    @Test
    void an_administrator_rebuilds_the_users_projection_with_a_call_and_follows_its_progress() throws Exception {
        Admit admit = context.getBean(Admit.class);
        for (int i = 0; i < 20; i++) {
            admit.addHumanUser(
                    OrgScope.only(ORG),
                    NewHumanUser.of(ORG, "rebuilt" + i, "Op", new EmailAddress("rebuilt" + i + "@example.com")));
        }
        String rebuild = "/operations/users-projection/rebuild";

        assertThat(operation("POST", rebuild, null).statusCode()).isEqualTo(401);
        assertThat(operation("POST", rebuild, token("user.read", null)).statusCode())
                .isEqualTo(403);
        assertThat(operation("POST", rebuild, token("user.read user.write", ORG.value()))
                        .statusCode())
                .as("an organization's administrator")
                .isEqualTo(403);
        assertThat(operation("GET", rebuild, adminToken).body()).contains("\"state\":\"idle\"");

        HttpResponse<String> started = operation("POST", rebuild, adminToken);
        assertThat(started.statusCode()).as(started.body()).isIn(202, 409);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> operation("GET", rebuild, adminToken).body().contains("\"state\":\"done\""));
        HttpResponse<String> done = operation("GET", rebuild, adminToken);
        assertThat(done.body())
                .contains("\"phase\":\"done\"")
                .containsPattern("\"result\":\\{\"eventsApplied\":[1-9][0-9]*,\"position\":[0-9]+");

        HttpResponse<String> status = operation("GET", "/operations/users-projection", adminToken);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"processor\":\"" + UsersProjector.PROCESSING_GROUP + "\"");
        assertThat(operation("GET", "/operations/users-projection", null).statusCode())
                .isEqualTo(401);
    }
}
