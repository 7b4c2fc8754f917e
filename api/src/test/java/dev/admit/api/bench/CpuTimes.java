package dev.admit.api.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time used so far (Linux {@code /proc}, user + system, all threads) by the measured service, by this load
 * generator, and by every PostgreSQL process: where a point's cores went.
 */
record CpuTimes(double serviceMs, double clientMs, double databaseMs) {

    private static final double MS_PER_TICK = 10.0; // USER_HZ is 100 on Linux

    static CpuTimes now(long servicePid) {
        return new CpuTimes(
                servicePid > 0 ? ticks(Path.of("/proc", Long.toString(servicePid))) * MS_PER_TICK : 0,
                ticks(Path.of("/proc", Long.toString(ProcessHandle.current().pid()))) * MS_PER_TICK,
                postgresTicks() * MS_PER_TICK);
    }

    CpuTimes since(CpuTimes start) {
        return new CpuTimes(serviceMs - start.serviceMs, clientMs - start.clientMs, databaseMs - start.databaseMs);
    }

    private static long postgresTicks() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes
                    .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> "postgres".equals(comm(p)))
                    .mapToLong(CpuTimes::ticks)
                    .sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String comm(Path process) {
        try {
            return Files.readString(process.resolve("comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** utime + stime of a process, from the fields after the command name in {@code stat}. */
    private static long ticks(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
