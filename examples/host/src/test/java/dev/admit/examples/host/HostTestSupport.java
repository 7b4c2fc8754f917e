package dev.admit.examples.host;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the host's tests share: fresh data directories, plain HTTP calls, and looks at the database. */
final class HostTestSupport {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HostTestSupport() {}

    static Path freshDataDir(String name) throws IOException {
        Path base = Files.createDirectories(Path.of("target", "test-data"));
        return Files.createTempDirectory(base, name + "-").toAbsolutePath();
    }

    static HttpResponse<String> post(int port, String path, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON string field of a flat answer, e.g. {@code "userId"}. */
    static String field(String json, String name) {
        var match = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!match.find()) {
            throw new AssertionError("no " + name + " in " + json);
        }
        return match.group(1);
    }

    /** The tables of one PostgreSQL schema. */
    static List<String> tablesIn(JdbcTemplate jdbc, String schema) {
        return jdbc.queryForList(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name",
                String.class,
                schema);
    }
}
