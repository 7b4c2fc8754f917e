package dev.admit.service.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged service started the README's way, {@code java -jar}: it runs in a second JVM with its memory budget and
 * class-data archive, stops with the first on SIGTERM, and goes with it on SIGKILL.
 */
class ServiceJarIT {

    private static final Duration START = Duration.ofSeconds(120);

    private final Path jar = Path.of(System.getProperty("bench.jar"));

    @Test
    void java_dash_jar_serves_from_a_second_jvm_within_the_budget_and_both_stop_together() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "jar-");

        Started first = start(dataDir);
        try {
            ProcessHandle service = first.service();
            assertThat(service.info().arguments().map(List::of).orElse(List.of()))
                    .contains("-Xmx192m")
                    .anySatisfy(argument -> assertThat(argument).startsWith("-XX:DumpLoadedClassList="));
        } finally {
            first.launcher().destroy();
        }
        assertThat(first.launcher().waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(first.launcher().exitValue())
                .as("a service stopped by SIGTERM ends normally")
                .isIn(0, 143);
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.service().isAlive());
        assertThat(dataDir.resolve("cds").resolve("admit-service.jsa"))
                .as("the class-data archive the first stop wrote")
                .isNotEmptyFile();
        Process mapping = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx192m",
                        "-Xshare:on",
                        "-XX:SharedArchiveFile=" + dataDir.resolve("cds").resolve("admit-service.jsa"),
                        "-cp",
                        jar.toAbsolutePath().toString(),
                        "-version")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(mapping.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(mapping.exitValue())
                .as("a JVM on the jar that must map the archive starts with it")
                .isZero();

        Started second = start(dataDir);
        assertThat(second.service().info().arguments().map(List::of).orElse(List.of()))
                .anySatisfy(argument -> assertThat(argument).startsWith("-XX:SharedArchiveFile="));
        second.launcher().destroyForcibly();
        await().atMost(Duration.ofSeconds(15))
                .alias("the service goes with a launcher killed outright")
                .until(() -> !second.service().isAlive());
    }

    @Test
    void a_service_started_with_a_flight_recording_serves_without_the_class_data_archive() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "jar-jfr-");
        Started first = start(dataDir);
        first.launcher().destroy();
        assertThat(first.launcher().waitFor(90, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.service().isAlive());
        assertThat(dataDir.resolve("cds").resolve("admit-service.jsa")).isNotEmptyFile();

        // JDK 17 crashed loading this archive's classes with a recording started with the JVM
        Started recorded = start(dataDir, "-XX:StartFlightRecording=filename=" + dataDir.resolve("start.jfr"));
        try {
            assertThat(recorded.service().info().arguments().map(List::of).orElse(List.of()))
                    .anySatisfy(argument -> assertThat(argument).startsWith("-XX:StartFlightRecording"))
                    .noneSatisfy(argument -> assertThat(argument).startsWith("-XX:SharedArchiveFile="));
        } finally {
            recorded.launcher().destroy();
        }
        assertThat(recorded.launcher().waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(recorded.launcher().exitValue()).isIn(0, 143);
    }

    private record Started(Process launcher, ProcessHandle service) {}

    private Started start(Path dataDir, String... jvmOptions) throws Exception {
        int port = freePort();
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(
                "-jar",
                jar.toAbsolutePath().toString(),
                "--admit.server.port=" + port,
                "--admit.management.port=0",
                "--admit.data-dir=" + dataDir.toAbsolutePath()));
        Process launcher = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dataDir.resolve("service.log").toFile()))
                .start();
        try {
            await().atMost(START).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!launcher.isAlive()) {
                    throw new IllegalStateException("the service stopped; see " + dataDir.resolve("service.log"));
                }
                return listening(port);
            });
            Optional<ProcessHandle> service = launcher.toHandle().children().findFirst();
            assertThat(service).as("the JVM the launcher started").isPresent();
            return new Started(launcher, service.get());
        } catch (RuntimeException | AssertionError e) {
            launcher.destroyForcibly();
            throw e;
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
