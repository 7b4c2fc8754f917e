package dev.admit.core.api;

import java.util.Objects;

/**
 * What proves a caller may set a user's password: nothing beyond the caller's permission, the user's current
 * password, or a password reset code. Their {@code toString} never shows a password or code.
 */
public sealed interface PasswordVerification {

    static PasswordVerification none() {
        return new None();
    }

    static PasswordVerification currentPassword(String password) {
        return new CurrentPassword(password);
    }

    static PasswordVerification resetCode(String code) {
        return new ResetCode(code);
    }

    /** No proof: for an administrator, or for the user's first password. */
    record None() implements PasswordVerification {}

    /** The user's current password, 1 to 200 characters. */
    record CurrentPassword(String password) implements PasswordVerification {

        public CurrentPassword {
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "CurrentPassword[redacted]";
        }
    }

    /** A reset code from {@link Admit#requestPasswordReset}, 1 to 20 characters. */
    record ResetCode(String code) implements PasswordVerification {

        public ResetCode {
            Objects.requireNonNull(code, "code");
        }

        @Override
        public String toString() {
            return "ResetCode[redacted]";
        }
    }
}
