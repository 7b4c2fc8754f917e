package dev.admit.test;

import dev.admit.domain.password.CheckedPassword;
import dev.admit.domain.password.NewPassword;
import dev.admit.domain.password.PasswordComplexityPolicy;
import dev.admit.domain.password.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Passwords for tests of the aggregate, which never hashes: {@link #hashOf} gives each plain password a stand-in hash
 * in bcrypt's shape, distinct per password and computed at once. It is not a bcrypt hash and verifies nothing; tests
 * of real hashing use the entry point's hasher.
 */
public final class TestPasswords {

    /** Complies with the default policy. */
    public static final String GOOD = "Sup3r-Secret!";

    /** Complies with the default policy too, and differs from {@link #GOOD}. */
    public static final String OTHER_GOOD = "An0ther-Secret?";

    private static final String BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private TestPasswords() {}

    /** A stand-in hash of {@code plain}: bcrypt's format (cost 4), the same for the same password. */
    public static PasswordHash hashOf(String plain) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-512").digest(plain.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is not available", e);
        }
        StringBuilder body = new StringBuilder(53);
        for (int i = 0; i < 53; i++) {
            body.append(BCRYPT_ALPHABET.charAt((digest[i] & 0xFF) % BCRYPT_ALPHABET.length()));
        }
        return PasswordHash.of("$2a$04$" + body);
    }

    /** {@code plain} as the entry point hands it over under the default policy: hashed only when it complies. */
    public static NewPassword newPassword(String plain) {
        return newPassword(plain, PasswordComplexityPolicy.defaults(), false);
    }

    public static NewPassword newPassword(String plain, PasswordComplexityPolicy policy, boolean changeRequired) {
        boolean complies = policy.firstBrokenRule(plain).isEmpty();
        return new NewPassword(plain, policy, complies ? hashOf(plain) : null, changeRequired);
    }

    /** What the entry point reports after checking {@code attempt} against the user's hash of {@code stored}. */
    public static CheckedPassword checked(String stored, String attempt) {
        return new CheckedPassword(hashOf(stored), stored.equals(attempt));
    }
}
