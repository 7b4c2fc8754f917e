package dev.admit.core.password;

import dev.admit.domain.password.PasswordComplexityPolicy;
import dev.admit.domain.password.PasswordHash;
import java.util.Objects;

/**
 * How Admit hashes new passwords and how much hashing it does at once.
 *
 * @param algorithm what new hashes (and re-encoded weaker ones) use; both are always verified
 * @param argon2MemoryKib argon2id's memory cost in KiB
 * @param argon2Iterations argon2id's iterations (t)
 * @param argon2Parallelism argon2id's lanes (p)
 * @param bcryptCost bcrypt's cost, log2 of its rounds
 * @param poolThreads threads that hash and verify; each argon2id hash holds {@code argon2MemoryKib} while it runs
 * @param queueCapacity hashing requests that may wait for a thread; beyond them, requests are refused at once
 * @param cpuShare the share of the machine's processors that hashing may take on average (above 0, at most 1); a
 *     burst of up to ten seconds of it runs at once
 * @param complexity what a new password must contain
 */
public record PasswordSettings(
        Algorithm algorithm,
        int argon2MemoryKib,
        int argon2Iterations,
        int argon2Parallelism,
        int bcryptCost,
        int poolThreads,
        int queueCapacity,
        double cpuShare,
        PasswordComplexityPolicy complexity) {

    /** The algorithm of new hashes. */
    public enum Algorithm {
        ARGON2ID,
        BCRYPT
    }

    /** OWASP's current argon2id minimum: 19 MiB of memory, 2 iterations, 1 lane. */
    public static final int DEFAULT_ARGON2_MEMORY_KIB = 19_456;

    public static final int DEFAULT_ARGON2_ITERATIONS = 2;
    public static final int DEFAULT_ARGON2_PARALLELISM = 1;

    /**
     * bcrypt's cost when chosen: 12, about a quarter of a second per hash in Java. ZITADEL's default of 14 costs about
     * a second per hash here, which a sign-in pays on every check; OWASP asks for at least 10.
     */
    public static final int DEFAULT_BCRYPT_COST = 12;

    /** Requests that may wait per thread before the pool refuses more. */
    public static final int DEFAULT_QUEUE_PER_THREAD = 16;

    /**
     * The share of the processors hashing takes on average by default: a flood of password changes then leaves
     * verifications most of the machine (docs/performance.md).
     */
    public static final double DEFAULT_CPU_SHARE = 0.03;

    public PasswordSettings {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(complexity, "complexity");
        if (argon2MemoryKib < 8 * argon2Parallelism || argon2MemoryKib > PasswordHash.MAX_ARGON2_MEMORY_KIB) {
            throw new IllegalArgumentException(
                    "argon2 memory must be between 8 KiB per lane and " + PasswordHash.MAX_ARGON2_MEMORY_KIB + " KiB");
        }
        if (argon2Iterations < 1 || argon2Iterations > PasswordHash.MAX_ARGON2_ITERATIONS) {
            throw new IllegalArgumentException(
                    "argon2 iterations must be between 1 and " + PasswordHash.MAX_ARGON2_ITERATIONS);
        }
        if (argon2Parallelism < 1 || argon2Parallelism > PasswordHash.MAX_ARGON2_PARALLELISM) {
            throw new IllegalArgumentException(
                    "argon2 parallelism must be between 1 and " + PasswordHash.MAX_ARGON2_PARALLELISM);
        }
        if (bcryptCost < 4 || bcryptCost > PasswordHash.MAX_BCRYPT_COST) {
            throw new IllegalArgumentException("bcrypt cost must be between 4 and " + PasswordHash.MAX_BCRYPT_COST);
        }
        if (poolThreads < 1) {
            throw new IllegalArgumentException("the hashing pool needs at least one thread");
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("the hashing queue holds 0 or more requests");
        }
        if (!(cpuShare > 0 && cpuShare <= 1)) {
            throw new IllegalArgumentException("the hashing share of the processors is above 0 and at most 1");
        }
    }

    /**
     * argon2id with OWASP's parameters, ZITADEL's default complexity policy, one hashing thread per processor,
     * {@value #DEFAULT_QUEUE_PER_THREAD} waiting requests per thread and {@value #DEFAULT_CPU_SHARE} of the processors.
     */
    public static PasswordSettings defaults() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new PasswordSettings(
                Algorithm.ARGON2ID,
                DEFAULT_ARGON2_MEMORY_KIB,
                DEFAULT_ARGON2_ITERATIONS,
                DEFAULT_ARGON2_PARALLELISM,
                DEFAULT_BCRYPT_COST,
                threads,
                threads * DEFAULT_QUEUE_PER_THREAD,
                DEFAULT_CPU_SHARE,
                PasswordComplexityPolicy.defaults());
    }

    public PasswordSettings withAlgorithm(Algorithm algorithm) {
        return new PasswordSettings(
                algorithm,
                argon2MemoryKib,
                argon2Iterations,
                argon2Parallelism,
                bcryptCost,
                poolThreads,
                queueCapacity,
                cpuShare,
                complexity);
    }

    public PasswordSettings withArgon2(int memoryKib, int iterations, int parallelism) {
        return new PasswordSettings(
                algorithm,
                memoryKib,
                iterations,
                parallelism,
                bcryptCost,
                poolThreads,
                queueCapacity,
                cpuShare,
                complexity);
    }

    public PasswordSettings withBcryptCost(int cost) {
        return new PasswordSettings(
                algorithm,
                argon2MemoryKib,
                argon2Iterations,
                argon2Parallelism,
                cost,
                poolThreads,
                queueCapacity,
                cpuShare,
                complexity);
    }

    public PasswordSettings withPool(int threads, int queue) {
        return new PasswordSettings(
                algorithm,
                argon2MemoryKib,
                argon2Iterations,
                argon2Parallelism,
                bcryptCost,
                threads,
                queue,
                cpuShare,
                complexity);
    }

    /** @param share the share of the processors hashing may take on average, above 0 and at most 1 */
    public PasswordSettings withCpuShare(double share) {
        return new PasswordSettings(
                algorithm,
                argon2MemoryKib,
                argon2Iterations,
                argon2Parallelism,
                bcryptCost,
                poolThreads,
                queueCapacity,
                share,
                complexity);
    }

    public PasswordSettings withComplexity(PasswordComplexityPolicy policy) {
        return new PasswordSettings(
                algorithm,
                argon2MemoryKib,
                argon2Iterations,
                argon2Parallelism,
                bcryptCost,
                poolThreads,
                queueCapacity,
                cpuShare,
                policy);
    }
}
