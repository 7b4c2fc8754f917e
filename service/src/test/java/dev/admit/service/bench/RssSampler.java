package dev.admit.service.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the resident set size (Linux {@code /proc}) of a process and every process it started, summed, while a
 * load runs, keeping the highest value: the service started with {@code java -jar} runs in a second JVM (its memory
 * budget), and both count.
 */
final class RssSampler {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong maxKb = new AtomicLong();

    static RssSampler start(long pid) {
        RssSampler sampler = new RssSampler();
        sampler.timer.scheduleAtFixedRate(() -> sampler.sample(pid), 0, 200, TimeUnit.MILLISECONDS);
        return sampler;
    }

    private void sample(long pid) {
        long kb = rssKb(pid);
        var descendants = ProcessHandle.of(pid).map(ProcessHandle::descendants);
        if (descendants.isPresent()) {
            kb += descendants.get().mapToLong(process -> rssKb(process.pid())).sum();
        }
        maxKb.accumulateAndGet(kb, Math::max);
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process may be gone, or /proc absent: no sample
        }
        return 0;
    }

    /** Stops sampling; the highest RSS seen, in MB. */
    double stop() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        return maxKb.get() / 1024.0;
    }
}
