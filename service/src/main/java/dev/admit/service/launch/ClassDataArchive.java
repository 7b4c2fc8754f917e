package dev.admit.service.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Admit's class-data archive (AppCDS): the classes the service loaded in an earlier run, mapped at start instead of
 * loaded, parsed and verified again. The first start of a jar writes it when the service stops normally
 * ({@code -XX:ArchiveClassesAtExit}); later starts use it. It lives in the data directory (only the service's user
 * may write there: an archive is code), under {@code cds/}, with a stamp of the jars it was made from; a new build
 * makes it again. {@code ADMIT_CLASS_DATA_ARCHIVE=off} leaves it out, and so does a JVM started with an agent or a
 * flight recording.
 */
final class ClassDataArchive {

    static final String SWITCH = "ADMIT_CLASS_DATA_ARCHIVE";
    private static final String DATA_DIR_ARGUMENT = "--admit.data-dir=";

    private ClassDataArchive() {}

    /**
     * Options under which a JVM with an archive may not start: an agent or a flight recording started with the JVM
     * hooks class loading, and JDK 17 (17.0.15 here) then crashed (SIGSEGV) loading classes from a dynamic archive.
     */
    private static final List<String> CLASS_LOAD_HOOKS = List.of(
            "-javaagent:", "-agentlib:", "-agentpath:", "-XX:StartFlightRecording", "-XX:+StartFlightRecording");

    /** Where the {@code java} command and the JVM take options from besides its command line. */
    private static final List<String> OPTIONS_VARIABLES =
            List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /**
     * The JVM options that use or write the archive, or none when it cannot be kept or the service's JVM is to run
     * with an agent or a flight recording from its start ({@code jvmArguments}, or the options variables).
     */
    static List<String> flags(Path jar, String[] args, Map<String, String> environment, List<String> jvmArguments) {
        if ("off".equalsIgnoreCase(environment.get(SWITCH)) || hooksClassLoading(jvmArguments, environment)) {
            return List.of();
        }
        try {
            Path directory = directory(args, environment);
            Path archive = directory.resolve("admit-service.jsa");
            Path stampFile = directory.resolve("admit-service.jsa.stamp");
            String stamp = stamp(jar);
            boolean current = Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS)
                    && Files.size(archive) > 0
                    && Files.isRegularFile(stampFile, LinkOption.NOFOLLOW_LINKS)
                    && Files.readString(stampFile, StandardCharsets.UTF_8).equals(stamp);
            List<String> flags = new ArrayList<>();
            // a stale or unreadable archive is the JVM's to skip: quietly, it only costs the start-up time it saves
            flags.add("-Xshare:auto");
            flags.add("-Xlog:cds=off");
            flags.add("-Xlog:cds+dynamic=off");
            if (current) {
                flags.add("-XX:SharedArchiveFile=" + archive);
            } else {
                Files.deleteIfExists(archive);
                Files.writeString(stampFile, stamp, StandardCharsets.UTF_8);
                flags.add("-XX:ArchiveClassesAtExit=" + archive);
            }
            return flags;
        } catch (IOException | RuntimeException e) {
            return List.of();
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
