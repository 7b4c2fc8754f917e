package dev.admit.service.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.admit.service.AdmitApplication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service as its own process, started the way {@code java -jar} would start it (its {@code main}, its defaults),
 * from the test class path, so a test can kill it with SIGKILL. It answers JSON calls with its admin token.
 */
final class ServiceNode implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Admit is listening on port (\\d+)");
    static final ObjectMapper JSON = new ObjectMapper();

    /** A JSON answer. */
    record Answer(int status, JsonNode body) {}

    private final Process process;
    private final int port;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private ServiceNode(Process process, int port, String token) {
        this.process = process;
        this.port = port;
        this.token = token;
    }

    /** Starts a node on {@code jdbcUrl}, keeping its data (and admin token) in {@code dataDir}. */
    static ServiceNode start(Path dataDir, String jdbcUrl, String key) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                AdmitApplication.class.getName(),
                "--admit.server.port=0",
                "--admit.management.port=0",
                "--admit.data-dir=" + dataDir.toAbsolutePath(),
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--admit.crypto.keys.fault=" + key,
                "--admit.crypto.active-key=fault"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        int port = listeningPort(process);
        String token = Files.readString(dataDir.resolve("admin.jwt"), StandardCharsets.US_ASCII)
                .trim();
        return new ServiceNode(process, port, token);
    }

    private static int listeningPort(Process process) throws IOException {
        BufferedReader log =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = log.readLine(); line != null; line = log.readLine()) {
            seen.append(line).append('\n');
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                Thread drain = new Thread(() -> log.lines().forEach(ignored -> {}), "node-log");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(listening.group(1));
            }
        }
        throw new AssertionError("the service ended before it listened:\n" + seen);
    }

    Answer post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET());
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(
                    request.header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Answer(response.statusCode(), text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A new user in {@code orgId} with a returned invite code: its id and code. */
    String[] invitee(String orgId, String name) {
        Answer added = post("/v2/users/human", """
                {"organization":{"orgId":"%s"},"profile":{"givenName":"%s","familyName":"Fault"},
                 "email":{"email":"%s@example.com"}}""".formatted(orgId, name, name));
        if (added.status() != 200) {
            throw new AssertionError("AddHumanUser answered " + added.status() + ": " + added.body());
        }
        String userId = added.body().path("userId").asText();
        Answer code = post("/v2/users/" + userId + "/invite_code", "{\"returnCode\":{}}");
        if (code.status() != 200) {
            throw new AssertionError("CreateInviteCode answered " + code.status() + ": " + code.body());
        }
        return new String[] {userId, code.body().path("inviteCode").asText()};
    }

    Answer verify(String userId, String code) {
        return post("/v2/users/" + userId + "/invite_code/verify", "{\"verificationCode\":\"" + code + "\"}");
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no graceful stop. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the killed service did not end");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
