package dev.admit.domain.message;

import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.password.CheckedPassword;
import java.util.Objects;

/** What proves a caller may set the password: nothing beyond permission, the current password, or a reset code. */
public sealed interface SetPasswordVerification {

    /** No proof: the caller holds {@code user.write} on the user's organization, or is the user. */
    record Unverified() implements SetPasswordVerification {}

    /** The current password, already checked against the stored hash by the entry point. */
    record CurrentPassword(CheckedPassword checked) implements SetPasswordVerification {

        public CurrentPassword {
            Objects.requireNonNull(checked, "checked");
        }
    }

    /** A password reset code; {@link #toString()} never shows it. */
    record ResetCode(String code) implements SetPasswordVerification {

        public ResetCode {
            InvalidValueException.requireLength("verification_code", code, 1, 20);
        }

        @Override
        public String toString() {
            return "ResetCode[redacted]";
        }
    }
}
