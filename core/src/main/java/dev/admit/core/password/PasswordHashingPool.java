package dev.admit.core.password;

import dev.admit.domain.error.ErrorCatalogue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of threads with a bounded queue in front, for the slow work of hashing and verifying passwords, held
 * to a share of the machine's processors on average (see {@link HashingBudget}). When every thread is busy and the
 * queue is full, a request is refused at once with {@code ADMIT-Pw8bz} (RESOURCE_EXHAUSTED) rather than queued
 * without bound: a flood of password changes then costs its senders waiting and refusals, not everyone else's
 * verifications their processors. Idle threads end after a while; the threads are daemons.
 */
public final class PasswordHashingPool implements AutoCloseable {

    private static final long IDLE_SECONDS = 60;

    /**
     * The longest a request may expect to wait for its turn. Beyond it, it is refused at once: a caller's deadline
     * (Armeria's default is 10 s) would otherwise run out while the work still waits, and the work would then be done
     * for no one.
     */
    static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ThreadPoolExecutor executor;
    private final HashingBudget budget;

    /** A pool whose threads may hash on every processor at once. */
    public PasswordHashingPool(int threads, int queueCapacity) {
        this(threads, queueCapacity, 1.0);
    }

    /**
     * @param cpuShare the share of the machine's processors hashing may take on average, above 0 and at most 1
     */
    public PasswordHashingPool(int threads, int queueCapacity, double cpuShare) {
        this(
                threads,
                queueCapacity,
                new HashingBudget(cpuShare, Runtime.getRuntime().availableProcessors()));
    }

    PasswordHashingPool(int threads, int queueCapacity, HashingBudget budget) {
        if (threads < 1 || queueCapacity < 0) {
            throw new IllegalArgumentException("a pool needs at least one thread and a queue of 0 or more");
        }
        BlockingQueue<Runnable> queue =
                queueCapacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueCapacity);
        this.executor = new ThreadPoolExecutor(
                threads,
                threads,
                IDLE_SECONDS,
                TimeUnit.SECONDS,
                queue,
                new HashingThreads(),
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        this.budget = budget;
    }

    /**
     * Runs {@code work} on the pool and waits for its result.
     *
     * @throws dev.admit.domain.error.DomainException {@code ADMIT-Pw8bz} when the pool and its queue are full, or the
     *     hashing budget is spent so far ahead that the request would wait more than five seconds for its turn
     */
    public <T> T call(Callable<T> work) {
        Future<T> result;
        if (budget.waitNanosBehind(
                        executor.getActiveCount() + executor.getQueue().size())
                > MAX_WAIT_NANOS) {
            throw ErrorCatalogue.PASSWORD_HASHING_BUSY.exception();
        }
        try {
            result = executor.submit(() -> budget.spend(work));
        } catch (RejectedExecutionException full) {
            throw ErrorCatalogue.PASSWORD_HASHING_BUSY.exception();
        }
        try {
            return result.get();
        } catch (InterruptedException interrupted) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a password hash", interrupted);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof RuntimeException runtime) {
                // a hasher's own refusal, thrown again on the caller's thread
                throw runtime;
            }
            throw new IllegalStateException("password hashing failed", failed.getCause());
        }
    }

    /** Requests waiting for a thread now, for metrics. */
    public int waiting() {
        return executor.getQueue().size();
    }

    /** Stops taking work; work already taken finishes. */
    @Override
    public void close() {
        executor.shutdown();
    }

    private static final class HashingThreads implements ThreadFactory {
        private static final AtomicInteger POOLS = new AtomicInteger();
        private final int pool = POOLS.incrementAndGet();
        private final AtomicInteger threads = new AtomicInteger();

        @Override
        public Thread newThread(Runnable work) {
            Thread thread = new Thread(work, "admit-password-" + pool + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
