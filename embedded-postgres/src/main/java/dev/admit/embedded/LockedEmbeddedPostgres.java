package dev.admit.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL, locked: its superuser needs a password (scram-sha-256, on the socket and on TCP alike),
 * generated once into {@code pg-password} (owner only) beside the cluster, and its binaries are unpacked into
 * {@code pg-runtime}, a directory only this service's user may enter, checked before every start. A cluster made
 * by an earlier Admit with password-less ({@code trust}) access is given the password and locked on its next start.
 */
public final class LockedEmbeddedPostgres {

    public static final String PASSWORD_FILE = "pg-password";
    static final String RUNTIME_DIRECTORY = "pg-runtime";
    static final String SERVER_LOG = "postgres.log";
    private static final String CONTROL_FILE = "global/pg_control";
    public static final String SUPERUSER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(LockedEmbeddedPostgres.class);
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final String LOCKED_HBA = """
            # Admit's embedded PostgreSQL: every connection needs the superuser's password
            local   all   all                 scram-sha-256
            host    all   all   127.0.0.1/32  scram-sha-256
            host    all   all   ::1/128       scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final String password;

    private LockedEmbeddedPostgres(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * The cluster under {@code home}/pg if a live service runs it now: how to connect to it, for a command-line run
     * beside that service (starting a second server on the same data is impossible, and stopping it is not ours).
     *
     * @return its JDBC URL and the superuser's password, if a live service holds the data directory
     */
    public static Optional<Running> running(Path home) throws IOException {
        Path dataDirectory = home.resolve("pg").toAbsolutePath();
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        Path passwordFile = home.resolve(PASSWORD_FILE);
        if (!Files.exists(pidFile)
                || !Files.exists(passwordFile)
                || !OrphanedPostgres.heldByLiveService(dataDirectory)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        // postmaster.pid: pid, data directory, start time, port, socket directory, listen address, ...
        if (lines.size() < 4 || !lines.get(3).trim().matches("[0-9]{1,5}")) {
            return Optional.empty();
        }
        String password = passwordIn(passwordFile);
        return Optional.of(
                new Running("jdbc:postgresql://localhost:" + lines.get(3).trim() + "/postgres", SUPERUSER, password));
    }

    /** A cluster a live service runs: where to connect and as whom. */
    public record Running(String jdbcUrl, String username, String password) {

        @Override
        public String toString() {
            return "Running[jdbcUrl=" + jdbcUrl + ", username=" + username + ", password=redacted]";
        }
    }

    /** Starts the cluster under {@code home}/pg, creating and locking it on first use. */
    public static LockedEmbeddedPostgres start(Path home) throws IOException {
        Path dataDirectory = home.resolve("pg").toAbsolutePath();
        PostgresMajorVersions.check(
                PostgresMajorVersions.binaries(LockedEmbeddedPostgres.class.getClassLoader()),
                PostgresMajorVersions.dataDirectory(dataDirectory),
                dataDirectory);
        Files.createDirectories(home);
        String password = passwordIn(home.resolve(PASSWORD_FILE));
        Path runtime = privateDirectory(home.resolve(RUNTIME_DIRECTORY).toAbsolutePath());
        setAsideUnfinished(dataDirectory);
        boolean existing = Files.isRegularFile(dataDirectory.resolve(CONTROL_FILE));
        Files.createDirectories(dataDirectory);
        OrphanedPostgres.stopIfAny(dataDirectory);
        Path serverLog = runtime.resolve(SERVER_LOG);
        Files.deleteIfExists(serverLog);
        Files.createFile(serverLog, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        EmbeddedPostgres postgres;
        try {
            postgres =
                    builder(dataDirectory, home, runtime, password, serverLog).start();
        } catch (IOException | RuntimeException e) {
            log.error("The embedded database did not start; PostgreSQL said: {}", reasonIn(serverLog));
            throw e;
        }
        try {
            if (existing && !locked(dataDirectory)) {
                lock(postgres, dataDirectory, password);
            }
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        return new LockedEmbeddedPostgres(postgres, password);
    }

    private static EmbeddedPostgres.Builder builder(
            Path dataDirectory, Path home, Path runtime, String password, Path serverLog) {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                // the library opens its unpack directory to everyone; inside our owner-only one nobody else reaches it
                .setOverrideWorkingDirectory(runtime.resolve("binaries").toFile())
                .setPGStartupWait(Duration.ofSeconds(60))
                // read by initdb for a new cluster: the superuser's password and password-only access
                .setLocaleConfig(
                        "pwfile", home.resolve(PASSWORD_FILE).toAbsolutePath().toString())
                .setLocaleConfig("auth-local", "scram-sha-256")
                .setLocaleConfig("auth-host", "scram-sha-256")
                // for the library's own readiness check, which logs in as the superuser
                .setConnectConfig("password", password)
                // the library's test defaults turn durability off; a service's events must survive a crash
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                // what initdb, pg_ctl and the server print, so a failed start can say why
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()));
    }

    /**
     * A first start killed during {@code initdb} leaves a data directory without {@code global/pg_control}, which
     * no later start can open: it is moved aside (never deleted) and the cluster initialised anew.
     */
    private static void setAsideUnfinished(Path dataDirectory) throws IOException {
        if (!Files.isDirectory(dataDirectory) || Files.exists(dataDirectory.resolve(CONTROL_FILE))) {
            return;
        }
        try (var entries = Files.list(dataDirectory)) {
            if (entries.findAny().isEmpty()) {
                return;
            }
        }
        Path aside =
                dataDirectory.resolveSibling(dataDirectory.getFileName() + ".unfinished-" + System.currentTimeMillis());
        Files.move(dataDirectory, aside);
        log.warn(
                "The embedded database's data directory was left unfinished by an interrupted first start; "
                        + "moved to {} and initialised anew",
                aside);
    }

    /** PostgreSQL's own words about what went wrong: its FATAL, PANIC and ERROR lines, else its last lines. */
    static String reasonIn(Path serverLog) {
        try {
            List<String> lines = Files.readAllLines(serverLog, StandardCharsets.UTF_8);
            List<String> problems = lines.stream()
                    .filter(line -> line.contains("FATAL")
                            || line.contains("PANIC")
                            || line.contains("ERROR")
                            || line.startsWith("initdb:")
                            || line.startsWith("pg_ctl:"))
                    .map(String::strip)
                    .toList();
            List<String> said =
                    problems.isEmpty() ? lines.subList(Math.max(0, lines.size() - 3), lines.size()) : problems;
            return said.isEmpty() ? "nothing (see " + serverLog + ")" : String.join(" | ", said);
        } catch (IOException e) {
            return "nothing readable (see " + serverLog + ")";
        }
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(SUPERUSER, "postgres");
    }

    public String password() {
        return password;
    }

    /** The password, generated into an owner-only file on first use. */
    private static String passwordIn(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            Files.writeString(file, generated + "\n", StandardCharsets.US_ASCII);
            return generated;
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                || !Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
                        .equals(OWNER_ONLY_FILE)) {
            throw new IllegalStateException(file + " must be a plain file readable and writable by its owner only "
                    + "(chmod 600): it holds the embedded database's password");
        }
        String stored = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!stored.matches("[A-Za-z0-9_-]{32,}")) {
            throw new IllegalStateException(file + " does not hold a password Admit generated");
        }
        return stored;
    }

    /** A directory of this user's that nobody else may write, created so if missing. */
    private static Path privateDirectory(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
        boolean othersWrite = !permissions.equals(OWNER_ONLY_DIRECTORY);
        String owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName();
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
                || othersWrite
                || !owner.equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("The embedded database's binaries go to " + directory
                    + ", which must be a directory of this user's that no one else can write or enter (chmod 700)");
        }
        return directory;
    }

    private static boolean locked(Path dataDirectory) throws IOException {
        List<String> rules = Files.readAllLines(dataDirectory.resolve("pg_hba.conf")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        return !rules.isEmpty() && rules.stream().allMatch(line -> line.endsWith("scram-sha-256"));
    }

    /** Gives a password-less cluster of an earlier Admit its password, then allows password logins only. */
    private static void lock(EmbeddedPostgres postgres, Path dataDirectory, String password) throws IOException {
        try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl(SUPERUSER, "postgres"));
                Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            // the password is base64url: nothing in it needs quoting
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), LOCKED_HBA, StandardCharsets.US_ASCII);
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("the embedded database could not be locked with its password", e);
        }
        log.info("The embedded database now requires the password in {}", PASSWORD_FILE);
    }
}
