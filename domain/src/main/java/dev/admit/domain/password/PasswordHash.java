package dev.admit.domain.password;

import dev.admit.domain.error.ErrorCatalogue;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An encoded password hash in a format Admit verifies: argon2id or argon2i in PHC form
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}, base64 without padding), or bcrypt ({@code $2a$}, {@code $2b$},
 * {@code $2y$}, as ZITADEL exports them). Costs beyond {@link #MAX_ARGON2_MEMORY_KIB}, {@link #MAX_ARGON2_ITERATIONS},
 * {@link #MAX_ARGON2_PARALLELISM} or {@link #MAX_BCRYPT_COST} are refused too: an imported hash sets what every later
 * check of it costs, and one with a huge cost would let a single sign-in tie up the hashing pool.
 *
 * <p>{@link #toString()} never shows the hash.
 */
public final class PasswordHash {

    public static final int MAX_ARGON2_MEMORY_KIB = 262_144;
    public static final int MAX_ARGON2_ITERATIONS = 20;
    public static final int MAX_ARGON2_PARALLELISM = 16;
    public static final int MAX_BCRYPT_COST = 16;

    /** The hash algorithms Admit verifies. */
    public enum Scheme {
        ARGON2ID,
        ARGON2I,
        BCRYPT
    }

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final Pattern ARGON2 = Pattern.compile(
            "\\$(argon2id|argon2i)\\$v=19\\$m=(\\d{1,9}),t=(\\d{1,4}),p=(\\d{1,4})\\$[A-Za-z0-9+/]{11,}\\$[A-Za-z0-9+/]{16,}");

    private final String encoded;
    private final Scheme scheme;
    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final int bcryptCost;

    private PasswordHash(String encoded, Scheme scheme, int memoryKib, int iterations, int parallelism, int cost) {
        this.encoded = encoded;
        this.scheme = scheme;
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.bcryptCost = cost;
    }

    /**
     * Reads an encoded hash.
     *
     * @throws dev.admit.domain.error.DomainException {@code USER-JDk4t} for any other format, or costs beyond the limits
     */
    public static PasswordHash of(String encoded) {
        Objects.requireNonNull(encoded, "encoded");
        Matcher bcrypt = BCRYPT.matcher(encoded);
        if (bcrypt.matches()) {
            int cost = Integer.parseInt(bcrypt.group(1));
            if (cost < 4 || cost > MAX_BCRYPT_COST) {
                throw ErrorCatalogue.PASSWORD_HASH_UNSUPPORTED.exception();
            }
            return new PasswordHash(encoded, Scheme.BCRYPT, 0, 0, 0, cost);
        }
        Matcher argon2 = ARGON2.matcher(encoded);
        if (argon2.matches()) {
            long memory = Long.parseLong(argon2.group(2));
            int iterations = Integer.parseInt(argon2.group(3));
            int parallelism = Integer.parseInt(argon2.group(4));
            if (memory < 8L * parallelism
                    || memory > MAX_ARGON2_MEMORY_KIB
                    || iterations < 1
                    || iterations > MAX_ARGON2_ITERATIONS
                    || parallelism < 1
                    || parallelism > MAX_ARGON2_PARALLELISM) {
                throw ErrorCatalogue.PASSWORD_HASH_UNSUPPORTED.exception();
            }
            Scheme scheme = argon2.group(1).equals("argon2id") ? Scheme.ARGON2ID : Scheme.ARGON2I;
            return new PasswordHash(encoded, scheme, (int) memory, iterations, parallelism, 0);
        }
        throw ErrorCatalogue.PASSWORD_HASH_UNSUPPORTED.exception();
    }

    /** Whether {@link #of} accepts {@code encoded}. */
    public static boolean supported(String encoded) {
        try {
            of(encoded);
            return true;
        } catch (RuntimeException unsupported) {
            return false;
        }
    }

    /** The hash as stored, for the event that records it and for verification; never for a log line. */
    public String encoded() {
        return encoded;
    }

    public Scheme scheme() {
        return scheme;
    }

    /** argon2's memory cost in KiB; 0 for bcrypt. */
    public int memoryKib() {
        return memoryKib;
    }

    /** argon2's iterations (t); 0 for bcrypt. */
    public int iterations() {
        return iterations;
    }

    /** argon2's parallelism (p); 0 for bcrypt. */
    public int parallelism() {
        return parallelism;
    }

    /** bcrypt's cost (log2 of the rounds); 0 for argon2. */
    public int bcryptCost() {
        return bcryptCost;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PasswordHash hash && encoded.equals(hash.encoded);
    }

    @Override
    public int hashCode() {
        return encoded.hashCode();
    }

    @Override
    public String toString() {
        return "PasswordHash[" + scheme + ", redacted]";
    }
}
