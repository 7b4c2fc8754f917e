package dev.admit.domain.password;

import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.error.InvalidValueException;
import java.util.Objects;
import java.util.Optional;

/**
 * A password a caller chose, as the entry point hands it to the aggregate: the plain text, only so that the aggregate
 * can apply the complexity {@code policy} in its order of checks; and, when the password complies, its {@code hash},
 * computed before the command was sent (hashing is too slow for a command handler). A password the policy refuses is
 * never hashed. {@link #toString()} shows neither.
 *
 * @param changeRequired whether the user must change it at the next sign-in
 */
public record NewPassword(
        String plaintext, PasswordComplexityPolicy policy, PasswordHash hash, boolean changeRequired) {

    public NewPassword {
        InvalidValueException.requireLength("new_password.password", plaintext, 1, 200);
        Objects.requireNonNull(policy, "policy");
        boolean complies = policy.firstBrokenRule(plaintext).isEmpty();
        if (complies && hash == null) {
            throw new IllegalArgumentException("a password that complies with the policy comes with its hash");
        }
        if (!complies && hash != null) {
            throw new IllegalArgumentException("a password the policy refuses is not hashed");
        }
    }

    /** The first complexity rule the password breaks; empty when it complies (and then has its hash). */
    public Optional<ErrorCatalogue> brokenRule() {
        return policy.firstBrokenRule(plaintext);
    }

    @Override
    public String toString() {
        return "NewPassword[redacted, changeRequired=" + changeRequired + "]";
    }
}
