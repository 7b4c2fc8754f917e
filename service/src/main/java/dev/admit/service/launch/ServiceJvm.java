package dev.admit.service.launch;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The JVM the service runs in when started with {@code java -jar}: one with a memory budget and Admit's class-data
 * archive. The JVM sizes its heap from the machine (a quarter of its memory) and G1 grows it under load and keeps it;
 * on a large machine the service then sits on gigabytes it does not need. A JVM cannot lower its own maximum heap once
 * started, so {@code java -jar} with no heap setting of the operator's starts the service in a second JVM with {@link
 * #FLAGS}, waits for it, passes signals on and exits with its status. Any heap setting given ({@code -Xmx}, {@code
 * -XX:MaxRAMPercentage}, ...) or {@code ADMIT_MEMORY_BUDGET=off} runs the service in the first JVM as given.
 *
 * <p>That second JVM also maps the classes of an earlier run from an archive (AppCDS, {@link ClassDataArchive}),
 * which saves loading, parsing and verifying most of the service's classes at every start.
 */
public final class ServiceJvm {

    /** The budget's JVM settings: a heap that holds the service under load with room to spare. */
    public static final List<String> FLAGS = List.of("-Xmx" + heap(), "-XX:+ExitOnOutOfMemoryError");

    /** Set in the second JVM's environment: the first one's process id. */
    static final String LAUNCHER_PID = "ADMIT_LAUNCHER_PID";

    static final String SWITCH = "ADMIT_MEMORY_BUDGET";

    private static final List<String> HEAP_SETTINGS = List.of(
            "-Xmx",
            "-XX:MaxHeapSize",
            "-XX:MaxRAM",
            "-XX:MaxRAMPercentage",
            "-XX:MaxRAMFraction",
            "-XX:SoftMaxHeapSize");

    private ServiceJvm() {}

    private static String heap() {
        String configured = System.getenv("ADMIT_HEAP");
        return configured != null && configured.matches("[0-9]+[mMgG]") ? configured : "192m";
    }

    /**
     * Runs the service in a JVM with the budget and returns its exit status, if this JVM was started from the jar
     * with no heap setting; otherwise empty, and the caller runs the service here.
     */
    public static OptionalInt runWithinBudget(String[] args) throws InterruptedException {
        Map<String, String> environment = System.getenv();
        String launcher = environment.get(LAUNCHER_PID);
        if (launcher != null) {
            endWithLauncher(launcher);
            return OptionalInt.empty();
        }
        List<String> jvmArguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        Path jar = launchedJar();
        if ("off".equalsIgnoreCase(environment.get(SWITCH)) || jar == null || setsHeap(jvmArguments)) {
            return OptionalInt.empty();
        }
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> options = new ArrayList<>(jvmArguments);
        options.addAll(FLAGS);
        ClassDataArchive archive = ClassDataArchive.of(jar, args, environment, jvmArguments);
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options);
        command.addAll(archive.flags());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment()
                .put(LAUNCHER_PID, Long.toString(ProcessHandle.current().pid()));
        Process service;
        try {
            service = builder.start();
        } catch (java.io.IOException e) {
            // no second JVM to be had: the service runs here, on the JVM's own sizing
            return OptionalInt.empty();
        }
        Thread forward = new Thread(() -> archive.writeAfterStop(stop(service), java, options), "admit-launcher-stop");
        Runtime.getRuntime().addShutdownHook(forward);
        int status = service.waitFor();
        archive.writeAfterStop(status, java, options);
        try {
            Runtime.getRuntime().removeShutdownHook(forward);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for the same process and the same archive
        }
        return OptionalInt.of(status);
    }

    static boolean setsHeap(List<String> jvmArguments) {
        return jvmArguments.stream().anyMatch(argument -> HEAP_SETTINGS.stream().anyMatch(argument::startsWith));
    }

    /** The jar this JVM was started with by {@code java -jar}, else null (a class path, a test, an IDE). */
    private static Path launchedJar() {
        String command = System.getProperty("sun.java.command", "");
        String classPath = System.getProperty("java.class.path", "");
        String first = command.split(" ", 2)[0];
        if (!first.endsWith(".jar") || !first.equals(classPath)) {
            return null;
        }
        return Path.of(first).toAbsolutePath();
    }

    /** Stopping the launcher (SIGTERM, SIGINT) stops the service the same way, waits for it and gives its status. */
    private static int stop(Process service) {
        service.destroy();
        try {
            if (!service.waitFor(60, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
            return service.waitFor();
        } catch (InterruptedException e) {
            service.destroyForcibly();
            return -1;
        }
    }

    /** A launcher killed outright (SIGKILL) takes its service with it, as a single JVM would go. */
    private static void endWithLauncher(String launcherPid) {
        try {
            ProcessHandle.of(Long.parseLong(launcherPid))
                    .ifPresentOrElse(
                            launcher -> launcher.onExit()
                                    .thenRun(() -> Runtime.getRuntime().halt(137)),
                            () -> Runtime.getRuntime().halt(137));
        } catch (NumberFormatException e) {
            // not set by a launcher of ours
        }
    }
}
