package dev.admit.service.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Admit's class-data archive (AppCDS): the classes the service loaded in an earlier run, mapped at start instead of
 * loaded, parsed and verified again. The first start of a jar lists the classes it loads ({@code
 * -XX:DumpLoadedClassList}); when that service stops normally, the launcher dumps them into the archive in a JVM of
 * its own ({@code -Xshare:dump}), and later starts map it. It lives in the data directory (only the service's user
 * may write there: an archive is code), under {@code cds/}, with a stamp of the jars it was made from; a new build
 * makes it again. {@code ADMIT_CLASS_DATA_ARCHIVE=off} leaves it out, and so does a JVM started with an agent or a
 * flight recording.
 */
final class ClassDataArchive {

    static final String SWITCH = "ADMIT_CLASS_DATA_ARCHIVE";
    private static final String DATA_DIR_ARGUMENT = "--admit.data-dir=";

    /**
     * Options under which a JVM with an archive may not start: an agent or a flight recording started with the JVM
     * hooks class loading, and JDK 17 (17.0.15 here) then crashed (SIGSEGV) loading classes from a (dynamic)
     * class-data archive.
     */
    private static final List<String> CLASS_LOAD_HOOKS = List.of(
            "-javaagent:", "-agentlib:", "-agentpath:", "-XX:StartFlightRecording", "-XX:+StartFlightRecording");

    /** Where the {@code java} command and the JVM take options from besides its command line. */
    private static final List<String> OPTIONS_VARIABLES =
            List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /** A service that ended on its own or stopped by SIGTERM or SIGINT: its class list is whole. */
    private static final Set<Integer> NORMAL_STOPS = Set.of(0, 130, 143);

    private static final long DUMP_LIMIT_SECONDS = 120;

    private final Path jar;
    private final Path archive;
    private final Path classList;
    private final Path stampFile;
    private final List<String> flags;
    private final boolean listing;
    private boolean written;

    private ClassDataArchive(Path jar, Path directory, List<String> flags, boolean listing) {
        this.jar = jar;
        this.archive = directory == null ? null : directory.resolve("admit-service.jsa");
        this.classList = directory == null ? null : directory.resolve("admit-service.classlist");
        this.stampFile = directory == null ? null : directory.resolve("admit-service.jsa.stamp");
        this.flags = List.copyOf(flags);
        this.listing = listing;
    }

    private static ClassDataArchive none() {
        return new ClassDataArchive(null, null, List.of(), false);
    }

    /**
     * The archive of the service's JVM: mapped when a current one exists, else listed for at this run, or none when
     * it cannot be kept or the JVM is to run with an agent or a flight recording from its start ({@code
     * jvmArguments}, or the options variables).
     */
    static ClassDataArchive of(Path jar, String[] args, Map<String, String> environment, List<String> jvmArguments) {
        if ("off".equalsIgnoreCase(environment.get(SWITCH)) || hooksClassLoading(jvmArguments, environment)) {
            return none();
        }
        try {
            Path directory = directory(args, environment);
            ClassDataArchive files = new ClassDataArchive(jar, directory, List.of(), false);
            String stamp = stamp(jar);
            boolean current = Files.isRegularFile(files.archive, LinkOption.NOFOLLOW_LINKS)
                    && Files.size(files.archive) > 0
                    && Files.isRegularFile(files.stampFile, LinkOption.NOFOLLOW_LINKS)
                    && Files.readString(files.stampFile, StandardCharsets.UTF_8).equals(stamp);
            // a stale or unreadable archive is the JVM's to skip: quietly, it only costs the start-up time it saves
            List<String> flags = new ArrayList<>(List.of("-Xshare:auto", "-Xlog:cds=off"));
            if (current) {
                flags.add("-XX:SharedArchiveFile=" + files.archive);
            } else {
                Files.deleteIfExists(files.archive);
                Files.deleteIfExists(files.partial());
                Files.deleteIfExists(files.classList);
                Files.writeString(files.stampFile, stamp, StandardCharsets.UTF_8);
                flags.add("-XX:DumpLoadedClassList=" + files.classList);
            }
            return new ClassDataArchive(jar, directory, flags, !current);
        } catch (IOException | RuntimeException e) {
            return none();
        }
    }

    /** The JVM options that map the archive or list the classes for it. */
    List<String> flags() {
        return flags;
    }

    /**
     * Once the service has stopped with {@code status}: after a normal stop of a run that listed its classes, dumps
     * them into the archive in a JVM of its own, with the service's {@code jvmOptions} and the same jar, and waits
     * for it. A dump that fails or crashes leaves no archive, and the next start lists again. Runs once, whichever of
     * the launcher's main thread and its shutdown hook comes first; the other waits for it.
     */
    synchronized void writeAfterStop(int status, String java, List<String> jvmOptions) {
        if (written || !listing) {
            return;
        }
        written = true;
        Path partial = partial();
        try {
            if (NORMAL_STOPS.contains(status)
                    && Files.isRegularFile(classList, LinkOption.NOFOLLOW_LINKS)
                    && Files.size(classList) > 0
                    && Files.readString(stampFile, StandardCharsets.UTF_8).equals(stamp(jar))) {
                dump(partial, java, jvmOptions);
            }
        } catch (IOException | RuntimeException e) {
            // no archive this time: the next start lists its classes again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(partial);
                Files.deleteIfExists(classList);
            } catch (IOException e) {
                // the next start writes over them
            }
        }
    }

    private Path partial() {
        return archive.resolveSibling(archive.getFileName() + ".partial");
    }

    private void dump(Path partial, String java, List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Xshare:dump",
                "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + partial,
                "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=" + archive.resolveSibling("dump-crash-%p.log"),
                "-cp",
                jar.toString()));
        System.err.println("admit: writing the class-data archive for quicker starts (once per build, about 20 s)");
        Process dump = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!dump.waitFor(DUMP_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            dump.destroyForcibly().waitFor();
            System.err.println("admit: the class-data archive was not written: its JVM took longer than "
                    + DUMP_LIMIT_SECONDS + " s; the next start lists its classes again");
            return;
        }
        if (dump.exitValue() == 0 && Files.isRegularFile(partial) && Files.size(partial) > 0) {
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            System.err.println("admit: the class-data archive was not written: its JVM exited with " + dump.exitValue()
                    + "; the next start lists its classes again");
        }
    }

    static boolean hooksClassLoading(List<String> jvmArguments, Map<String, String> environment) {
        List<String> options = new ArrayList<>(jvmArguments);
        for (String variable : OPTIONS_VARIABLES) {
            String value = environment.get(variable);
            if (value != null) {
                options.addAll(List.of(value.trim().split("\\s+")));
            }
        }
        return options.stream().anyMatch(option -> CLASS_LOAD_HOOKS.stream().anyMatch(option::startsWith));
    }

    /** {@code <data dir>/cds}, owner-only, the data directory as the service will read it. */
    private static Path directory(String[] args, Map<String, String> environment) throws IOException {
        String dataDir = environment.getOrDefault("ADMIT_DATA_DIR", "data");
        for (String argument : args) {
            if (argument.startsWith(DATA_DIR_ARGUMENT)) {
                dataDir = argument.substring(DATA_DIR_ARGUMENT.length());
            }
        }
        Path directory = Path.of(dataDir).toAbsolutePath().resolve("cds");
        var ownerOnly = PosixFilePermissions.fromString("rwx------");
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(ownerOnly));
        }
        if (!Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
                || !Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS)
                        .equals(ownerOnly)) {
            throw new IOException("the archive's directory is not this user's alone");
        }
        return directory;
    }

    /** The jar and its libraries by name, size and time: what the archive was made from. */
    private static String stamp(Path jar) throws IOException {
        StringBuilder stamp = new StringBuilder(System.getProperty("java.vm.version", "")).append('\n');
        stamp.append(entry(jar));
        Path lib = jar.resolveSibling("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> libraries = Files.list(lib)) {
                libraries.sorted().forEach(library -> stamp.append(entry(library)));
            }
        }
        return stamp.toString();
    }

    private static String entry(Path file) {
        try {
            return file.getFileName() + " " + Files.size(file) + " "
                    + Files.getLastModifiedTime(file).toMillis() + "\n";
        } catch (IOException e) {
            return file.getFileName() + " ?\n";
        }
    }
}
