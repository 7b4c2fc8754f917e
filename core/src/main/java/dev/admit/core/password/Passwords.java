package dev.admit.core.password;

import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.password.CheckedPassword;
import dev.admit.domain.password.NewPassword;
import dev.admit.domain.password.PasswordComplexityPolicy;
import dev.admit.domain.password.PasswordHash;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The password work the entry point does before it sends a command: complexity first (a refused password is never
 * hashed), then hashing and verification on the bounded pool. Verifying for a user who has no hash still verifies,
 * against a dummy hash of the current settings, so that "no such user" and "wrong password" take the same time.
 */
public final class Passwords implements AutoCloseable {

    private final PasswordHasher hasher;
    private final PasswordHashingPool pool;
    private volatile PasswordHash dummy;

    public Passwords(PasswordHasher hasher, PasswordHashingPool pool) {
        this.hasher = hasher;
        this.pool = pool;
    }

    /** A hasher and a pool of its own, as {@code settings} say; {@link #close()} stops the pool. */
    public static Passwords start(PasswordSettings settings) {
        return new Passwords(
                new PasswordHasher(settings),
                new PasswordHashingPool(settings.poolThreads(), settings.queueCapacity(), settings.cpuShare()));
    }

    public PasswordSettings settings() {
        return hasher.settings();
    }

    public PasswordComplexityPolicy complexity() {
        return hasher.settings().complexity();
    }

    /**
     * {@code plain} as the aggregate takes it: with its hash when it complies with the policy, without when it does
     * not (the aggregate then refuses it in its order of checks).
     *
     * @param field the request field that holds the password, named in a validation error
     * @throws InvalidValueException when bcrypt is configured and the password is longer than it can hash
     * @throws dev.admit.domain.error.DomainException {@code ADMIT-Pw8bz} when the hashing pool is full
     */
    public NewPassword newPassword(String field, String plain, boolean changeRequired) {
        InvalidValueException.requireLength(field, plain, 1, 200);
        if (!hasher.canHash(plain)) {
            throw new InvalidValueException(
                    field, field + " must be at most " + PasswordHasher.BCRYPT_MAX_BYTES + " bytes long with bcrypt");
        }
        PasswordComplexityPolicy policy = complexity();
        PasswordHash hash = policy.firstBrokenRule(plain).isEmpty() ? pool.call(() -> hasher.hash(plain)) : null;
        return new NewPassword(plain, policy, hash, changeRequired);
    }

    /**
     * Checks {@code attempt} against {@code stored}, or against a dummy hash when there is none.
     *
     * @throws dev.admit.domain.error.DomainException {@code ADMIT-Pw8bz} when the hashing pool is full
     */
    public CheckedPassword check(String attempt, Optional<PasswordHash> stored) {
        if (stored.isEmpty()) {
            PasswordHash dummyHash = dummy();
            pool.call(() -> hasher.verify(attempt, dummyHash));
            return CheckedPassword.againstNothing();
        }
        PasswordHash hash = stored.get();
        return new CheckedPassword(hash, pool.call(() -> hasher.verify(attempt, hash)));
    }

    /**
     * A new hash of a password that just matched {@code stored}, when {@code stored} is weaker than the settings; empty
     * when it is not, or when the configured algorithm cannot hash the password.
     */
    public Optional<PasswordHash> rehashIfWeaker(String plain, PasswordHash stored) {
        if (!hasher.weakerThanSettings(stored) || !hasher.canHash(plain)) {
            return Optional.empty();
        }
        return Optional.of(pool.call(() -> hasher.hash(plain)));
    }

    /** A hash of a random password with the current settings, made once, on the pool. */
    private PasswordHash dummy() {
        PasswordHash made = dummy;
        if (made == null) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String plain = Base64.getEncoder().encodeToString(random);
            made = pool.call(() -> hasher.hash(plain));
            dummy = made;
        }
        return made;
    }

    @Override
    public void close() {
        pool.close();
    }
}
