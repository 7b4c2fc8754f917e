package dev.admit.core.password;

import dev.admit.domain.password.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Hashes and verifies passwords with Spring Security's encoders: argon2id (on Bouncy Castle) or bcrypt for new hashes,
 * as the settings say; both argon2 (id and i) and bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}) for verification.
 * Every call is slow on purpose and runs on the calling thread: callers go through {@link PasswordHashingPool}.
 */
public final class PasswordHasher {

    /** bcrypt reads at most this many bytes of a password; Spring's encoder refuses to hash longer ones. */
    public static final int BCRYPT_MAX_BYTES = 72;

    private static final int ARGON2_SALT_BYTES = 16;
    private static final int ARGON2_HASH_BYTES = 32;

    private final PasswordSettings settings;
    private final Argon2PasswordEncoder argon2;
    private final BCryptPasswordEncoder bcrypt;

    public PasswordHasher(PasswordSettings settings) {
        this.settings = settings;
        this.argon2 = new Argon2PasswordEncoder(
                ARGON2_SALT_BYTES,
                ARGON2_HASH_BYTES,
                settings.argon2Parallelism(),
                settings.argon2MemoryKib(),
                settings.argon2Iterations());
        // $2a$, the variant ZITADEL and Go write, so that exported hashes look like imported ones
        this.bcrypt = new BCryptPasswordEncoder(
                BCryptPasswordEncoder.BCryptVersion.$2A, settings.bcryptCost(), new SecureRandom());
    }

    public PasswordSettings settings() {
        return settings;
    }

    /** Whether the configured algorithm can hash {@code plain}: bcrypt takes at most {@value #BCRYPT_MAX_BYTES} bytes. */
    public boolean canHash(String plain) {
        return settings.algorithm() != PasswordSettings.Algorithm.BCRYPT
                || plain.getBytes(StandardCharsets.UTF_8).length <= BCRYPT_MAX_BYTES;
    }

    /** A new hash of {@code plain} with the configured algorithm and costs. */
    public PasswordHash hash(String plain) {
        if (!canHash(plain)) {
            throw new IllegalArgumentException("bcrypt takes at most " + BCRYPT_MAX_BYTES + " bytes of a password");
        }
        String encoded =
                settings.algorithm() == PasswordSettings.Algorithm.BCRYPT ? bcrypt.encode(plain) : argon2.encode(plain);
        return PasswordHash.of(encoded);
    }

    /** Whether {@code plain} is the password {@code hash} was made from; the hash's own costs apply. */
    public boolean verify(String plain, PasswordHash hash) {
        try {
            return hash.scheme() == PasswordHash.Scheme.BCRYPT
                    ? bcrypt.matches(plain, hash.encoded())
                    : argon2.matches(plain, hash.encoded());
        } catch (IllegalArgumentException unreadable) {
            // the format was checked when the hash arrived; what the encoder still cannot read matches nothing
            return false;
        }
    }

    /**
     * Whether {@code hash} is weaker than what the settings would make now: another algorithm (argon2i counts as
     * another than argon2id), or a lower cost.
     */
    public boolean weakerThanSettings(PasswordHash hash) {
        if (settings.algorithm() == PasswordSettings.Algorithm.BCRYPT) {
            return hash.scheme() != PasswordHash.Scheme.BCRYPT || hash.bcryptCost() < settings.bcryptCost();
        }
        return hash.scheme() != PasswordHash.Scheme.ARGON2ID
                || hash.memoryKib() < settings.argon2MemoryKib()
                || hash.iterations() < settings.argon2Iterations()
                || hash.parallelism() < settings.argon2Parallelism();
    }
}
