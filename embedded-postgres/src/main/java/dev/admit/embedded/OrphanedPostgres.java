package dev.admit.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL left running by a service that was killed outright (its JVM gone, its database server not) would
 * keep the data directory busy forever. When no live service holds the directory's lock but its
 * {@code postmaster.pid} names a running process, that server is an orphan of ours: stop it, the way PostgreSQL's
 * own fast shutdown does, so the next start can open the data.
 */
final class OrphanedPostgres {

    private static final Logger log = LoggerFactory.getLogger(OrphanedPostgres.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private OrphanedPostgres() {}

    static void stopIfAny(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile) || heldByLiveService(dataDirectory)) {
            return;
        }
        Optional<ProcessHandle> postmaster = postmaster(pidFile, dataDirectory);
        if (postmaster.isEmpty()) {
            return;
        }
        log.warn("Stopping a PostgreSQL left running on {} by an earlier run", dataDirectory);
        ProcessHandle process = postmaster.get();
        // SIGINT would be "fast shutdown"; SIGTERM ("smart") also ends it once its clients are gone, and they are
        process.destroy();
        try {
            process.onExit().get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    /** Whether a live service holds the data directory's lock. */
    static boolean heldByLiveService(Path dataDirectory) throws IOException {
        return heldByLiveServiceLock(dataDirectory.resolve("epg-lock"));
    }

    private static boolean heldByLiveServiceLock(Path lockFile) throws IOException {
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true;
        }
    }

    private static Optional<ProcessHandle> postmaster(Path pidFile, Path dataDirectory) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (!Path.of(lines.get(1).trim()).equals(dataDirectory)) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle ->
                        handle.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    }
}
