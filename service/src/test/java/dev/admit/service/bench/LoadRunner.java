package dev.admit.service.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load: {@code concurrency} callers each send a request, wait for the answer, and send the next, each
 * request taking the next unused item. Latencies are recorded after the warm-up only; the run ends after the point's
 * length or when the items run out.
 */
final class LoadRunner {

    /** One request; returns normally on success. */
    interface Call<T> {
        void run(T item) throws Exception;
    }

    /** {@code attempted}: every request sent, warm-up included. */
    record Point(
            double throughput,
            double p50Ms,
            double p95Ms,
            double p99Ms,
            long requests,
            long errors,
            double seconds,
            long attempted) {}

    static <T> Point run(int concurrency, Duration warmUp, Duration length, List<T> items, Call<T> call)
            throws InterruptedException {
        AtomicInteger nextItem = new AtomicInteger();
        AtomicLong succeeded = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Recorder latencies = new Recorder(3);
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + length.toNanos();
        AtomicLong lastFinish = new AtomicLong(end);
        ExecutorService callers = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> running = new java.util.ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(callers.submit(() -> {
                    while (true) {
                        long now = System.nanoTime();
                        if (now >= end) {
                            return;
                        }
                        int index = nextItem.getAndIncrement();
                        if (index >= items.size()) {
                            lastFinish.accumulateAndGet(now, Math::min);
                            return;
                        }
                        long sent = System.nanoTime();
                        boolean ok;
                        try {
                            call.run(items.get(index));
                            ok = true;
                        } catch (Exception e) {
                            ok = false;
                        }
                        long done = System.nanoTime();
                        if (sent >= measureFrom && done <= end) {
                            if (ok) {
                                succeeded.incrementAndGet();
                                latencies.recordValue(Math.max(1, (done - sent) / 1_000));
                            } else {
                                failed.incrementAndGet();
                            }
                        }
                    }
                }));
            }
            for (Future<?> caller : running) {
                caller.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a load caller failed", e.getCause());
        } finally {
            callers.shutdownNow();
            callers.awaitTermination(10, TimeUnit.SECONDS);
        }
        double seconds = Math.max(0.001, (Math.min(end, lastFinish.get()) - measureFrom) / 1e9);
        var histogram = latencies.getIntervalHistogram();
        return new Point(
                succeeded.get() / seconds,
                histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(95) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0,
                succeeded.get(),
                failed.get(),
                seconds,
                Math.min(nextItem.get(), items.size()));
    }
}
