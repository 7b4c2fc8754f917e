package dev.admit.service.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one benchmark run does. The full run follows docs/performance.md; the quick run (CI) keeps every step but
 * with a tiny store and 2-second points, so the harness is exercised on every build without measuring anything.
 */
record BenchSettings(
        boolean quick,
        Path jar,
        Path outputDirectory,
        List<Integer> concurrencies,
        Duration warmUp,
        Duration point,
        int growthSmallUsers,
        int rebuildUsers,
        int poolRatePerSecond,
        java.util.Set<String> parts,
        boolean statements) {

    static BenchSettings fromSystemProperties() {
        boolean quick = Boolean.parseBoolean(System.getProperty("bench.quick", "true"));
        Path jar = Path.of(System.getProperty("bench.jar", "target/admit-api-0.1.0-SNAPSHOT-exec.jar"));
        Path out = Path.of(System.getProperty("bench.output", "target/bench"));
        return quick
                ? new BenchSettings(
                        true,
                        jar,
                        out,
                        List.of(1, 4, 16, 64),
                        Duration.ofMillis(300),
                        Duration.ofSeconds(2),
                        500,
                        2_000,
                        6_000,
                        partsToRun(),
                        Boolean.getBoolean("bench.statements"))
                : new BenchSettings(
                        false,
                        jar,
                        out,
                        concurrenciesToRun(),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(20),
                        5_000,
                        Integer.getInteger("bench.rebuildUsers", 200_000),
                        3_500,
                        partsToRun(),
                        Boolean.getBoolean("bench.statements"));
    }

    /**
     * The service's own arguments beyond the harness's: in quick mode hashing may take the whole machine, so that
     * passwords are set within its 2-second points (the default share spends its saved-up budget in the warm-up).
     */
    List<String> serviceArguments() {
        return quick() ? List.of("--admit.password.cpu-share=1") : List.of();
    }

    /**
     * Rounds per point ({@code -Dbench.repeats=3}): each round measures the raw ceiling and both protocols one after
     * the other, and a point reports its median round; 3 in a full run, 1 in the quick one.
     */
    int repeats() {
        return Integer.getInteger("bench.repeats", quick() ? 1 : 3);
    }

    /** The callers per point ({@code -Dbench.concurrencies=16}); 1, 4, 16 and 64 unless told. */
    private static List<Integer> concurrenciesToRun() {
        String given = System.getProperty("bench.concurrencies", "").trim();
        return given.isEmpty()
                ? List.of(1, 4, 16, 64)
                : java.util.Arrays.stream(given.split("\\s*,\\s*"))
                        .map(Integer::valueOf)
                        .toList();
    }

    /** The parts to run ({@code -Dbench.only=verify,growth,rebuild}); all of them unless told. */
    private static java.util.Set<String> partsToRun() {
        String only = System.getProperty("bench.only", "").trim();
        return only.isEmpty()
                ? java.util.Set.of("verify", "passwords", "growth", "rebuild")
                : java.util.Set.of(only.split("\\s*,\\s*"));
    }

    boolean runs(String part) {
        return parts.contains(part);
    }

    /** One round of the service's warm-up on one protocol. */
    Duration serviceWarmUp() {
        return quick ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
    }

    /** At most this many warm-up rounds per protocol, however busy the JIT compiler still is. */
    int serviceWarmUpRounds() {
        return quick ? 1 : 12;
    }

    /** Users for one protocol's service warm-up, at up to 2,000 verifications a second. */
    int serviceWarmUpUsers() {
        return (int) Math.max(200, serviceWarmUp().toSeconds() * 2_000);
    }

    /** Users to seed for one point: enough for the point at the given rate, plus the warm-up. */
    int poolFor(Duration length) {
        return (int) Math.max(200, (length.toMillis() + warmUp.toMillis()) * poolRatePerSecond / 1000);
    }
}
