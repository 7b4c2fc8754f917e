package dev.admit.service.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time used so far (Linux {@code /proc}, user + system, all threads) by the measured service, by this load
 * generator, and by every PostgreSQL process, those that have ended included: where a point's cores went. {@code
 * serviceCompilerMs} is the part of the service's time spent by its JIT compiler threads, which should be close to
 * nothing once it is warm.
 */
record CpuTimes(double serviceMs, double serviceCompilerMs, double clientMs, double databaseMs) {

    private static final double MS_PER_TICK = 10.0; // USER_HZ is 100 on Linux

    static CpuTimes now(long servicePid) {
        Path service = Path.of("/proc", Long.toString(servicePid));
        return new CpuTimes(
                servicePid > 0 ? ticks(service) * MS_PER_TICK : 0,
                servicePid > 0 ? compilerTicks(service) * MS_PER_TICK : 0,
                ticks(Path.of("/proc", Long.toString(ProcessHandle.current().pid()))) * MS_PER_TICK,
                postgresTicks() * MS_PER_TICK);
    }

    CpuTimes since(CpuTimes start) {
        return new CpuTimes(
                serviceMs - start.serviceMs,
                serviceCompilerMs - start.serviceCompilerMs,
                clientMs - start.clientMs,
                databaseMs - start.databaseMs);
    }

    /** All and idle (idle + iowait) ticks of the whole machine, from the first line of {@code /proc/stat}. */
    static long[] machineTicks() throws IOException {
        String[] fields =
                Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i <= 8; i++) { // user … steal; guest time is already counted in user
            total += Long.parseLong(fields[i]);
        }
        return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
    }

    /** The JIT compiler threads of a JVM ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}). */
    private static long compilerTicks(Path process) {
        try (Stream<Path> threads = Files.list(process.resolve("task"))) {
            return threads.filter(t -> comm(t).matches("C\\d CompilerThre.*"))
                    .mapToLong(CpuTimes::ticks)
                    .sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long postgresTicks() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes
                    .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> "postgres".equals(comm(p)))
                    .mapToLong(p -> ticks(p) + reapedChildrenTicks(p))
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
        return statFields(process, 11, 12);
    }

    /**
     * cutime + cstime: what the process's exited and reaped children used. A backend that ends during a point (a
     * connection closed, a parallel worker) leaves the sum of live processes; the postmaster's count takes it over.
     */
    private static long reapedChildrenTicks(Path process) {
        return statFields(process, 13, 14);
    }

    private static long statFields(Path process, int first, int second) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[first]) + Long.parseLong(fields[second]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
