package dev.admit.domain.message;

import dev.admit.domain.password.NewPassword;
import dev.admit.domain.password.PasswordHash;
import java.util.Objects;

/** The password a user is created with: one chosen in plain text (and hashed by the entry point), or an imported hash. */
public sealed interface InitialPassword {

    /** A plain password, which must comply with its policy. */
    record Chosen(NewPassword password) implements InitialPassword {

        public Chosen {
            Objects.requireNonNull(password, "password");
        }
    }

    /** A hash exported from elsewhere (ZITADEL's argon2 or bcrypt), taken as it is. */
    record Imported(PasswordHash hash, boolean changeRequired) implements InitialPassword {

        public Imported {
            Objects.requireNonNull(hash, "hash");
        }
    }
}
