package dev.admit.service.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Samples a process's resident set size (Linux {@code /proc}) while a load runs, keeping the highest value. */
final class RssSampler {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong maxKb = new AtomicLong();

    static RssSampler start(long pid) {
        RssSampler sampler = new RssSampler();
        sampler.timer.scheduleAtFixedRate(() -> sampler.sample(pid), 0, 200, TimeUnit.MILLISECONDS);
        return sampler;
    }

    private void sample(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    maxKb.accumulateAndGet(kb, Math::max);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process may be gone, or /proc absent: no sample
        }
    }

    /** Stops sampling; the highest RSS seen, in MB. */
    double stop() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        return maxKb.get() / 1024.0;
    }
}
