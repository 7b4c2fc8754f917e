package dev.admit.core.password;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The processor time password hashing may take on average: a bucket that fills at {@code share × processors}
 * CPU-seconds per second, up to ten seconds of that, and that every hash drains by the CPU time its thread spent. A
 * hashing thread waits until the bucket is no longer in debt before it starts, so an occasional burst runs at full
 * speed while a flood is held to the share, and the rest of the machine stays with verifications and the database.
 */
final class HashingBudget {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** How much of its share an idle budget saves up: enough for a burst of sign-ups, too little to outlast a flood. */
    static final long SAVED_UP_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final double cpuNanosPerNano;
    private final double capacityNanos;
    private final LongSupplier clock;
    private final LongSupplier threadCpuNanos;
    private double availableNanos;
    private long refilledAt;
    private double typicalChargeNanos;

    HashingBudget(double share, int processors) {
        this(share, processors, System::nanoTime, HashingBudget::currentThreadCpuNanos);
    }

    HashingBudget(double share, int processors, LongSupplier clock, LongSupplier threadCpuNanos) {
        if (!(share > 0 && share <= 1) || processors < 1) {
            throw new IllegalArgumentException("a hashing share is above 0 and at most 1, of 1 or more processors");
        }
        this.cpuNanosPerNano = share * processors;
        this.capacityNanos = cpuNanosPerNano * SAVED_UP_NANOS;
        this.clock = clock;
        this.threadCpuNanos = threadCpuNanos;
        this.availableNanos = capacityNanos;
        this.refilledAt = clock.getAsLong();
    }

    /** Runs {@code work} on this thread once the budget allows, and charges it the CPU time the work took. */
    <T> T spend(java.util.concurrent.Callable<T> work) throws Exception {
        awaitCredit();
        long before = threadCpuNanos.getAsLong();
        try {
            return work.call();
        } finally {
            charge(threadCpuNanos.getAsLong() - before);
        }
    }

    /** How long a hash would wait now before it may start; 0 when it may start at once. */
    synchronized long waitNanos() {
        refill();
        return availableNanos >= 0 ? 0 : (long) Math.ceil(-availableNanos / cpuNanosPerNano);
    }

    /**
     * How long a hash would wait if it joined {@code ahead} hashes that have not been charged yet: the debt, and what
     * those hashes will add to it at the typical charge of the latest ones.
     */
    synchronized long waitNanosBehind(int ahead) {
        refill();
        double owed = ahead * typicalChargeNanos - availableNanos;
        return owed <= 0 ? 0 : (long) Math.ceil(owed / cpuNanosPerNano);
    }

    synchronized void charge(long cpuNanos) {
        refill();
        long charged = Math.max(0, cpuNanos);
        availableNanos -= charged;
        // a moving average over about the last eight hashes
        typicalChargeNanos =
                typicalChargeNanos == 0 ? charged : typicalChargeNanos + (charged - typicalChargeNanos) / 8;
    }

    private void awaitCredit() throws InterruptedException {
        long wait;
        while ((wait = waitNanos()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private void refill() {
        long now = clock.getAsLong();
        availableNanos = Math.min(capacityNanos, availableNanos + (now - refilledAt) * cpuNanosPerNano);
        refilledAt = now;
    }

    /** The calling thread's CPU time, or the wall clock where the JVM cannot measure it (a dearer, safe estimate). */
    private static long currentThreadCpuNanos() {
        if (THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled()) {
            return THREADS.getCurrentThreadCpuTime();
        }
        return System.nanoTime();
    }
}
