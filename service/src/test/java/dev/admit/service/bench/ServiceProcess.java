package dev.admit.service.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged service, run as its own process with default heap settings, as an operator would run it. */
final class ServiceProcess {

    private final Process process;
    private final int port;
    private final double startupSeconds;

    private ServiceProcess(Process process, int port, double startupSeconds) {
        this.process = process;
        this.port = port;
        this.startupSeconds = startupSeconds;
    }

    static ServiceProcess start(
            Path jar, Path dataDir, String jdbcUrl, byte[] key, String hmacSecret, List<String> arguments)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build the service first: " + jar + " is missing");
        }
        Files.createDirectories(dataDir);
        int port = AdmitBenchmark.freePort();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String jvmArgs = System.getProperty("bench.serviceJvmArgs", "").trim();
        if (!jvmArgs.isEmpty()) {
            command.addAll(List.of(jvmArgs.split("\\s+")));
        }
        command.addAll(List.of(
                "-jar",
                jar.toAbsolutePath().toString(),
                "--admit.server.port=" + port,
                "--admit.management.port=0",
                "--admit.data-dir=" + dataDir.toAbsolutePath(),
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.hikari.maximum-pool-size=40",
                "--admit.crypto.keys.bench=" + Base64.getEncoder().encodeToString(key),
                "--admit.crypto.active-key=bench",
                "--admit.security.jwt.hmac-secret=" + hmacSecret));
        command.addAll(arguments);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("service.log").toFile())
                .start();
        long deadline = start + TimeUnit.SECONDS.toNanos(120);
        while (!AdmitBenchmark.listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the service did not start; see " + dataDir.resolve("service.log"));
            }
            Thread.sleep(20);
        }
        return new ServiceProcess(process, port, Math.round((System.nanoTime() - start) / 1e7) / 100.0);
    }

    int port() {
        return port;
    }

    /**
     * The JVM that serves, for its CPU time: started the README's way, the launched JVM runs the service in a child
     * JVM of its own (the memory budget) and only waits for it.
     */
    long pid() {
        return process.toHandle()
                .children()
                .filter(child ->
                        child.info().command().map(c -> c.endsWith("java")).orElse(false))
                .findFirst()
                .map(ProcessHandle::pid)
                .orElse(process.pid());
    }

    /** The process started, whose tree holds all the service's memory. */
    long launchedPid() {
        return process.pid();
    }

    double startupSeconds() {
        return startupSeconds;
    }

    void stop() throws InterruptedException {
        process.destroy();
        // the first stop of a build writes its class-data archive
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
