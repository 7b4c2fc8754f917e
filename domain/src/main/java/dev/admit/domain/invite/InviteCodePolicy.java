package dev.admit.domain.invite;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How invite codes (and password reset codes) look and how long they live: {@code length} symbols drawn from {@code alphabet}, valid for
 * {@code expiry}, dead after {@code maxAttempts} failed verifications.
 */
public record InviteCodePolicy(int length, String alphabet, Duration expiry, int maxAttempts) {

    public static final String UPPERCASE_ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    public static final InviteCodePolicy DEFAULT =
            new InviteCodePolicy(6, UPPERCASE_ALPHANUMERIC, Duration.ofHours(72), 3);
    /** Password reset codes: like invite codes, but valid for one hour (ZITADEL's default). */
    public static final InviteCodePolicy PASSWORD_RESET_DEFAULT =
            new InviteCodePolicy(6, UPPERCASE_ALPHANUMERIC, Duration.ofHours(1), 3);

    /** Codes travel in a field of at most 20 characters. */
    public static final int MAX_LENGTH = 20;

    public InviteCodePolicy {
        Objects.requireNonNull(alphabet, "alphabet");
        Objects.requireNonNull(expiry, "expiry");
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("code length must be between 1 and " + MAX_LENGTH);
        }
        if (alphabet.length() < 2 || alphabet.chars().distinct().count() != alphabet.length()) {
            throw new IllegalArgumentException("the alphabet needs at least two distinct symbols");
        }
        if (alphabet.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("the alphabet may hold only printable ASCII symbols");
        }
        if (expiry.isNegative() || expiry.isZero()) {
            throw new IllegalArgumentException("expiry must be positive");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1");
        }
    }

    /** A code issued at {@code issuedAt} with {@code expiry} is expired from this instant on. */
    public static Instant expiresAt(Instant issuedAt, Duration expiry) {
        return issuedAt.plus(expiry);
    }

    /** A code that failed this many times is dead. */
    public boolean exhaustedAfter(int failures) {
        return failures >= maxAttempts;
    }
}
