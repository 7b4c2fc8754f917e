package dev.admit.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.admit.service.AdmitApplication;
import java.io.IOException;
import java.io.Reader;
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
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The command line as an operator runs it: {@code java ... dev.admit.service.AdmitApplication <command>} in its own
 * process, on its own embedded PostgreSQL under a data directory, beside a serving node when there is one. (Started
 * from the class path, {@code MemoryBudget} does not relaunch, so each process is one JVM.) The class shares one
 * serving node, with a few users written through its JSON API, among the tests that run commands beside it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern LISTENING = Pattern.compile("Admit is listening on port (\\d+)");
    private static final List<String> COMMANDS = List.of("serve", "export", "import", "rebuild", "status");

    private Path work;
    /** The serving node's data directory, and the node. */
    private Path served;

    private Serving serving;
    /** The users written through the serving node: id to its last returned invite code. */
    private final Map<String, String> users = new LinkedHashMap<>();

    @BeforeAll
    void serveWithUsers() throws Exception {
        Path base = Files.createDirectories(Path.of("target", "test-data"));
        work = Files.createTempDirectory(base, "cli-").toAbsolutePath();
        served = Files.createDirectories(work.resolve("served"));
        serving = Serving.start(served, work.resolve("served.log"));
        for (int i = 1; i <= 3; i++) {
            JsonNode added = serving.post("/v2/users/human", """
                    {"organization":{"orgId":"org1"},"username":"u%d",
                     "profile":{"givenName":"Given %d","familyName":"Family"},
                     "email":{"email":"u%d@example.com"}}""".formatted(i, i, i));
            String id = added.path("userId").asText();
            String code = serving.post("/v2/users/" + id + "/invite_code", "{\"returnCode\":{}}")
                    .path("inviteCode")
                    .asText();
            assertThat(code).matches("[A-Z0-9]{6}");
            users.put(id, code);
        }
        // the first user has verified its code; the second has tried a wrong one
        String first = users.keySet().iterator().next();
        serving.post("/v2/users/" + first + "/invite_code/verify", verification(users.get(first)));
        String second = new ArrayList<>(users.keySet()).get(1);
        HttpResponse<String> wrong = serving.send(
                "POST",
                "/v2/users/" + second + "/invite_code/verify",
                verification(users.get(second).equals("AAAAAA") ? "BBBBBB" : "AAAAAA"));
        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(400);
    }

    @AfterAll
    void stopServing() throws Exception {
        if (serving != null) {
            serving.stopAndCheckItsDatabaseStopped();
        }
    }

    @Test
    void help_of_the_root_and_of_every_command_exits_0_and_names_the_options() throws Exception {
        Path dataDir = Files.createDirectories(work.resolve("help"));
        Result root = run(List.of("--help"));
        assertThat(root.exit()).as(root.toString()).isZero();
        assertThat(root.stdout()).contains("Usage: admit", "-h, --help", "-V, --version", "ADMIT_DATA_DIR");
        for (String command : COMMANDS) {
            assertThat(root.stdout())
                    .as("the root's help names %s", command)
                    .containsPattern("(?m)^\\s+" + command + "\\s");
        }

        Map<String, List<String>> options = Map.of(
                "serve", List.of(),
                "export", List.of("--out=FILE", "--since=GLOBAL_INDEX", "--aggregate=ID", "ADMIT_CRYPTO_"),
                "import", List.of("--in=FILE", "ADMIT_CRYPTO_"),
                "rebuild", List.of(),
                "status", List.of());
        for (String command : COMMANDS) {
            Result help = run(List.of(command, "--help", "--admit.data-dir=" + dataDir));
            assertThat(help.exit()).as(help.toString()).isZero();
            assertThat(help.stdout()).as(command).contains("Usage: admit " + command, "-h, --help", "-V, --version");
            for (String option : options.get(command)) {
                assertThat(help.stdout()).as(command).contains(option);
            }
        }
        Result version = run(List.of("--version"));
        assertThat(version.exit()).as(version.toString()).isZero();
        assertThat(version.stdout()).startsWith("admit ");

        Result helpCommand = run(List.of("help", "export"));
        assertThat(helpCommand.exit()).as(helpCommand.toString()).isZero();
        assertThat(helpCommand.stdout()).contains("Usage: admit export", "--out=FILE");

        assertThat(dataDir).as("help starts nothing").isEmptyDirectory();
    }

    @Test
    void an_unknown_option_or_command_exits_non_zero_with_a_clear_message() throws Exception {
        Path dataDir = Files.createDirectories(work.resolve("unknown"));
        String data = "--admit.data-dir=" + dataDir;

        Result option = run(List.of("status", "--no-such-option", data));
        assertThat(option.exit()).as(option.toString()).isNotZero();
        assertThat(option.stderr().strip())
                .isEqualTo("status: unknown option or argument '--no-such-option' "
                        + "(configuration is given as --name=value)");
        assertThat(option.stdout()).isEmpty();

        Result argument = run(List.of("export", "stray", data));
        assertThat(argument.exit()).as(argument.toString()).isNotZero();
        assertThat(argument.stderr()).contains("unknown option or argument 'stray'");

        Result value = run(List.of("export", "--since", "yesterday", data));
        assertThat(value.exit()).as(value.toString()).isNotZero();
        assertThat(value.stderr()).contains("--since", "yesterday");

        Result negative = run(List.of("export", "--since", "-1", data));
        assertThat(negative.exit()).as(negative.toString()).isNotZero();
        assertThat(negative.stderr()).contains("--since takes a global index, 0 or more");

        Result command = run(List.of("frobnicate", data));
        assertThat(command.exit()).as(command.toString()).isNotZero();
        assertThat(command.stderr()).contains("frobnicate");

        for (Result failed : List.of(option, argument, value, negative, command)) {
            assertThat(failed.stderr())
                    .as("no stack trace")
                    .doesNotContain("\tat ")
                    .doesNotContain("Exception");
        }
        assertThat(dataDir).as("a refused command starts nothing").isEmptyDirectory();
    }

    @Test
    void an_import_that_fails_says_why_on_standard_error_and_exits_non_zero() throws Exception {
        Path missing = work.resolve("no-such.ndjson");
        Result noFile = run(List.of("import", "--in", missing.toString(), "--admit.data-dir=" + served));
        assertThat(noFile.exit()).as(noFile.toString()).isNotZero();
        assertThat(noFile.stderr().strip()).isEqualTo("import: no such file: " + missing);

        Path bad = work.resolve("bad.ndjson");
        Files.writeString(bad, "\n{\"type\":\"user.human.added\"}\n", StandardCharsets.UTF_8);
        Result refused = run(List.of("import", "--in", bad.toString(), "--admit.data-dir=" + served));
        assertThat(refused.exit()).as(refused.toString()).isNotZero();
        assertThat(refused.stderr().strip())
                .isEqualTo("import: line 2: aggregateType must be a non-empty string; nothing of its batch was stored");
        assertThat(refused.stdout()).isEmpty();
    }

    @Test
    void status_on_a_fresh_data_directory_prints_the_projection_and_the_outbox_and_a_summary() throws Exception {
        Path dataDir = Files.createDirectories(work.resolve("fresh"));

        Result status = run(List.of("status", "--admit.data-dir=" + dataDir));

        assertThat(status.exit()).as(status.toString()).isZero();
        List<String> lines = status.stdout().lines().toList();
        assertThat(lines).as(status.toString()).isNotEmpty();
        assertThat(lines.get(0)).isEqualTo("event store: head at global index -1");
        assertThat(lines).contains("parked events: 0", "rebuild: none interrupted");
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("processor \\S+: lag 0 events, 0 s.*"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("no segments yet"));
        assertThat(lines).contains("mail outbox: pending 0, sent 0, failed 0, skipped 0");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("status: caught up, 0 parked, 0 mails pending, 0 failed");
        assertNoDatabaseRunning(dataDir);
    }

    @Test
    void status_beside_the_serving_node_shows_it_owning_a_segment_once_caught_up() throws Exception {
        Result status = awaitStatus(this::servingNodeOwnsASegmentAtTheHead);

        List<String> lines = status.stdout().lines().toList();
        assertThat(headIndex(lines)).isPositive();
        assertThat(lines).contains("parked events: 0", "rebuild: none interrupted");
        assertThat(lines).contains("mail outbox: pending 0, sent 0, failed 0, skipped 0");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("status: caught up, 0 parked, 0 mails pending, 0 failed");
        assertThat(status.stderr()).as("nothing on standard error").isEmpty();
    }

    @Test
    void an_export_beside_the_serving_node_imports_into_a_second_store_that_answers_the_same() throws Exception {
        Path file = work.resolve("export.ndjson");
        Result toFile = run(List.of("export", "--out", file.toString(), "--admit.data-dir=" + served));
        assertThat(toFile.exit()).as(toFile.toString()).isZero();
        assertThat(toFile.stdout())
                .as("nothing but the NDJSON goes to standard output")
                .isEmpty();
        List<String> exported = Files.readAllLines(file, StandardCharsets.UTF_8);
        // per user: added and a code; the first verified it (succeeded, email verified), the second tried a wrong one
        // (and the rebuild's test may have added one more user)
        int events = exported.size();
        assertThat(events).isGreaterThanOrEqualTo(3 * 2 + 2 + 1);
        assertThat(toFile.stderr().strip())
                .as("standard error: the summary line alone")
                .matches("export: " + events + " events written to " + Pattern.quote(file.toString())
                        + " in [0-9.]+ s \\(.*/s\\)");
        assertThat(Files.exists(file.resolveSibling(file.getFileName() + ".part")))
                .isFalse();

        Result toStdout = run(List.of("export", "--admit.data-dir=" + served));
        assertThat(toStdout.exit()).as(toStdout.toString()).isZero();
        List<String> stdoutLines = toStdout.stdout().lines().toList();
        for (String line : stdoutLines) {
            assertThat(JSON.readTree(line).isObject()).as(line).isTrue();
        }
        assertThat(stdoutLines)
                .as("standard output carries the same lines as --out")
                .isEqualTo(exported);
        assertThat(toStdout.stderr().strip())
                .as("standard error: the summary line alone")
                .startsWith("export: " + events + " events written to standard output in ")
                .doesNotContain("\n");

        Result oneUser = run(List.of(
                "export",
                "--aggregate",
                users.keySet().iterator().next(),
                "--since",
                "1",
                "--admit.data-dir=" + served));
        assertThat(oneUser.exit()).as(oneUser.toString()).isZero();
        assertThat(oneUser.stdout().lines().map(CommandLineTest::json).toList())
                .as("--aggregate and --since narrow the export")
                .isNotEmpty()
                .isEqualTo(exported.stream()
                        .map(CommandLineTest::json)
                        .filter(line -> line.get("aggregateId")
                                .asText()
                                .equals(users.keySet().iterator().next()))
                        .filter(line -> line.get("globalIndex").asLong() > 1)
                        .toList());

        // a second store with the first one's keys: codes stay sealed, so the keys must travel with the file
        Path second = Files.createDirectories(work.resolve("second"));
        List<String> keys = keysOf(served);
        List<String> toSecond = new ArrayList<>(List.of("--admit.data-dir=" + second));
        toSecond.addAll(keys);

        Result imported = run(concat(List.of("import", "--in", file.toString()), toSecond));
        assertThat(imported.exit()).as(imported.toString()).isZero();
        assertThat(imported.stdout()).isEmpty();
        assertThat(imported.stderr().strip())
                .matches("import: " + events + " lines read, " + events + " events stored, 0 already there, in .*");
        assertNoDatabaseRunning(second);

        Serving secondNode = Serving.start(second, work.resolve("second.log"), keys.toArray(String[]::new));
        try {
            Result reexported = run(concat(List.of("export"), toSecond));
            assertThat(reexported.exit()).as(reexported.toString()).isZero();
            assertThat(withoutGlobalIndex(reexported.stdout().lines().toList()))
                    .as("the second store's export is the first one's, globalIndex aside")
                    .isEqualTo(withoutGlobalIndex(exported));

            // the same file again, on standard input this time
            Result again = run(concat(List.of("import"), toSecond), file);
            assertThat(again.exit()).as(again.toString()).isZero();
            assertThat(again.stderr().strip())
                    .matches("import: " + events + " lines read, 0 events stored, " + events + " already there, in .*");

            for (String user : users.keySet()) {
                assertThat(secondNode.get("/v2/users/" + user))
                        .as("user %s reads the same from both stores", user)
                        .isEqualTo(serving.get("/v2/users/" + user));
            }
            // the third user's code, sealed by the first store, opens in the second
            String third = new ArrayList<>(users.keySet()).get(2);
            JsonNode verified =
                    secondNode.post("/v2/users/" + third + "/invite_code/verify", verification(users.get(third)));
            assertThat(verified.at("/details/sequence").asText()).isEqualTo("4");
        } finally {
            secondNode.stopAndCheckItsDatabaseStopped();
        }
    }

    @Test
    void a_rebuild_beside_the_serving_node_ends_with_a_summary_and_every_read_answers_as_before() throws Exception {
        Map<String, JsonNode> before = new LinkedHashMap<>();
        for (String user : users.keySet()) {
            before.put(user, serving.get("/v2/users/" + user));
        }
        // the table as the serving node's processor left it once caught up
        long headBefore = headIndex(awaitStatus(this::servingNodeOwnsASegmentAtTheHead)
                .stdout()
                .lines()
                .toList());
        List<Map<String, Object>> tableBefore = usersTable(served);
        assertThat(tableBefore).hasSizeGreaterThanOrEqualTo(users.size());

        Result rebuild = run(List.of("rebuild", "--admit.data-dir=" + served));

        assertThat(rebuild.exit()).as(rebuild.toString()).isZero();
        assertThat(rebuild.stdout()).isEmpty();
        assertThat(rebuild.stderr().strip())
                .as("standard error: the summary line alone")
                .matches("rebuild: \\d+ events in [0-9.]+ s \\([0-9,]+/s\\); the users projection stands at global "
                        + "index \\d+");
        for (String user : users.keySet()) {
            assertThat(serving.get("/v2/users/" + user)).as(user).isEqualTo(before.get(user));
        }
        assertThat(usersTable(served))
                .as("the swapped-in table, row by row, as the live one was")
                .isEqualTo(tableBefore);

        // the serving node carries on from the swapped-in table: it applies what is written after the rebuild
        String later = serving.post("/v2/users/human", """
                        {"organization":{"orgId":"org1"},"username":"after-rebuild",
                         "profile":{"givenName":"Later","familyName":"User"},
                         "email":{"email":"later@example.com"}}""").path("userId").asText();
        Result status = awaitStatus(this::servingNodeOwnsASegmentAtTheHead);
        assertThat(headIndex(status.stdout().lines().toList())).isGreaterThan(headBefore);
        assertThat(status.stdout()).contains("rebuild: none interrupted");
        assertThat(usersTable(served))
                .as("the processor wrote the later user's row")
                .anySatisfy(row -> assertThat(row.get("user_id")).isEqualTo(later));
    }

    // --- processes

    /** A finished command: its exit status and what it wrote. */
    record Result(List<String> command, int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return String.join(" ", command) + " exited " + exit + "\n--- stdout:\n" + stdout + "\n--- stderr:\n"
                    + stderr;
        }
    }

    private Result run(List<String> arguments) throws IOException, InterruptedException {
        return run(arguments, Path.of("/dev/null"));
    }

    /** Runs a command with {@code input} as its standard input, and waits for it to end. */
    private Result run(List<String> arguments, Path input) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "stdout-", ".txt");
        Path err = Files.createTempFile(work, "stderr-", ".txt");
        List<String> command = new ArrayList<>(java(true));
        command.addAll(arguments);
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectInput(input.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            assertThat(process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("%s ended in time", arguments)
                    .isTrue();
            System.out.printf(
                    "%s took %d ms%n",
                    arguments.subList(0, Math.min(2, arguments.size())), (System.nanoTime() - started) / 1_000_000);
            Result result = new Result(
                    arguments,
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            return result;
        } finally {
            stop(process);
        }
    }

    private Result awaitStatus(java.util.function.Predicate<Result> shows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            Result status = run(List.of("status", "--admit.data-dir=" + served));
            assertThat(status.exit()).as(status.toString()).isZero();
            if (shows.test(status)) {
                return status;
            }
            assertThat(System.nanoTime())
                    .as("status did not show it in time; last:%n%s", status)
                    .isLessThan(deadline);
        }
    }

    /** Whether a status shows the projection caught up, with a segment at the head that the serving node owns. */
    private boolean servingNodeOwnsASegmentAtTheHead(Result status) {
        List<String> lines = status.stdout().lines().toList();
        if (lines.isEmpty() || !status.stdout().contains("(caught up)")) {
            return false;
        }
        Pattern owned = Pattern.compile(
                "  segment \\d+: position " + headIndex(lines) + ", owner " + Pattern.quote(serving.owner()) + "\\S+");
        return lines.stream().anyMatch(line -> owned.matcher(line).matches());
    }

    /** The users table of a serving node's embedded PostgreSQL, every column, in user id order. */
    private static List<Map<String, Object>> usersTable(Path dataDir) throws Exception {
        List<String> pid = Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid"), StandardCharsets.UTF_8);
        String password = Files.readString(dataDir.resolve("pg-password"), StandardCharsets.US_ASCII)
                .strip();
        List<Map<String, Object>> rows = new ArrayList<>();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
                        "jdbc:postgresql://localhost:" + pid.get(3).strip() + "/postgres", "postgres", password);
                java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet result = statement.executeQuery("SELECT * FROM admit.users ORDER BY user_id")) {
            java.sql.ResultSetMetaData columns = result.getMetaData();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    Object value = result.getObject(i);
                    // the driver's arrays compare by identity: compared as lists of their elements
                    row.put(
                            columns.getColumnName(i),
                            value instanceof java.sql.Array array
                                    ? java.util.Arrays.asList((Object[]) array.getArray())
                                    : value);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The JVM and class path the tests run on, and the service's entry point. */
    private static List<String> java(boolean shortLived) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        if (shortLived) {
            // a command's JVM lives for seconds: quicker to start without the optimising compiler
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AdmitApplication.class.getName());
        return command;
    }

    private static void stop(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A serving node on a data directory, its log in a file. */
    private static final class Serving {

        private final Process process;
        private final Path dataDir;
        private final int port;
        private final String token;
        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();

        private Serving(Process process, Path dataDir, int port, String token) {
            this.process = process;
            this.dataDir = dataDir;
            this.port = port;
            this.token = token;
        }

        static Serving start(Path dataDir, Path log, String... arguments) throws Exception {
            List<String> command = new ArrayList<>(java(false));
            command.addAll(List.of(
                    "serve", "--admit.server.port=0", "--admit.management.port=0", "--admit.data-dir=" + dataDir));
            command.addAll(List.of(arguments));
            long started = System.nanoTime();
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
                while (true) {
                    Matcher listening = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
                    if (listening.find()) {
                        String token = Files.readString(dataDir.resolve("admin.jwt"), StandardCharsets.US_ASCII)
                                .trim();
                        System.out.printf(
                                "serve %s listened after %d ms%n",
                                dataDir.getFileName(), (System.nanoTime() - started) / 1_000_000);
                        return new Serving(process, dataDir, Integer.parseInt(listening.group(1)), token);
                    }
                    assertThat(process.isAlive())
                            .as("the service runs:%n%s", Files.readString(log, StandardCharsets.UTF_8))
                            .isTrue();
                    assertThat(System.nanoTime())
                            .as("the service listened in time:%n%s", Files.readString(log, StandardCharsets.UTF_8))
                            .isLessThan(deadline);
                    process.waitFor(100, TimeUnit.MILLISECONDS);
                }
            } catch (Exception | AssertionError e) {
                CommandLineTest.stop(process);
                throw e;
            }
        }

        /** How a claim of this node's names it: Axon's default node name, the JVM's {@code pid@host}. */
        String owner() {
            return process.pid() + "@";
        }

        JsonNode get(String path) throws Exception {
            HttpResponse<String> answer = send("GET", path, null);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            return JSON.readTree(answer.body());
        }

        JsonNode post(String path, String body) throws Exception {
            HttpResponse<String> answer = send("POST", path, body);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            return JSON.readTree(answer.body());
        }

        HttpResponse<String> send(String method, String path, String body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }

        /** Stops the node as an operator does (SIGTERM) and checks that its embedded PostgreSQL stopped with it. */
        void stopAndCheckItsDatabaseStopped() throws Exception {
            Optional<ProcessHandle> postmaster = postmasterOf(dataDir);
            try {
                long stopping = System.nanoTime();
                process.destroy();
                assertThat(process.waitFor(60, TimeUnit.SECONDS))
                        .as("the service stops on SIGTERM")
                        .isTrue();
                System.out.printf(
                        "serve %s stopped after %d ms%n",
                        dataDir.getFileName(), (System.nanoTime() - stopping) / 1_000_000);
            } finally {
                CommandLineTest.stop(process);
            }
            assertThat(postmaster).as("the service ran its embedded PostgreSQL").isPresent();
            assertNoDatabaseRunning(dataDir);
        }
    }

    /** The embedded PostgreSQL of a data directory, if one runs. */
    private static Optional<ProcessHandle> postmasterOf(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("pg").resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        return lines.isEmpty()
                ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(ProcessHandle::isAlive);
    }

    /**
     * Checks that the processes that ran on a data directory left no PostgreSQL running there; one that they did leave
     * is stopped (by its pid), so that a failing test leaves nothing behind either.
     */
    private static void assertNoDatabaseRunning(Path dataDir) throws Exception {
        Optional<ProcessHandle> left = postmasterOf(dataDir);
        if (left.isPresent()) {
            left.get().destroy();
            try {
                left.get().onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                left.get().destroyForcibly();
            }
        }
        assertThat(left).as("no PostgreSQL left running on %s", dataDir).isEmpty();
        assertThat(dataDir.resolve("pg").resolve("postmaster.pid")).doesNotExist();
    }

    // --- reading what commands wrote

    /** The invite-code keys of a data directory, as the configuration arguments of another store. */
    private static List<String> keysOf(Path dataDir) throws IOException {
        Properties stored = new Properties();
        try (Reader in = Files.newBufferedReader(dataDir.resolve("invite-code-keys.properties"))) {
            stored.load(in);
        }
        List<String> arguments = new ArrayList<>();
        for (String name : stored.stringPropertyNames()) {
            if (name.startsWith("key.")) {
                arguments.add("--admit.crypto.keys." + name.substring(4) + "=" + stored.getProperty(name));
            }
        }
        assertThat(arguments).isNotEmpty();
        arguments.add("--admit.crypto.active-key=" + stored.getProperty("active"));
        return arguments;
    }

    private static long headIndex(List<String> statusLines) {
        Matcher head =
                Pattern.compile("event store: head at global index (-?\\d+)").matcher(statusLines.get(0));
        assertThat(head.matches()).as(statusLines.get(0)).isTrue();
        return Long.parseLong(head.group(1));
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private static List<JsonNode> withoutGlobalIndex(List<String> lines) {
        return lines.stream()
                .map(line -> {
                    ObjectNode node = (ObjectNode) json(line);
                    assertThat(node.has("globalIndex")).as(line).isTrue();
                    node.remove("globalIndex");
                    return (JsonNode) node;
                })
                .toList();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static String verification(String code) {
        return "{\"verificationCode\":\"" + code + "\"}";
    }
}
