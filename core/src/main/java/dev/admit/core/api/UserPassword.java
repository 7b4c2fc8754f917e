package dev.admit.core.api;

import java.util.Objects;

/**
 * The password a new user starts with: a plain one, which must comply with the complexity policy and is hashed by
 * Admit, or a hash exported from elsewhere (argon2id, argon2i or bcrypt). Their {@code toString} shows neither.
 */
public sealed interface UserPassword {

    boolean changeRequired();

    static UserPassword plain(String password, boolean changeRequired) {
        return new Plain(password, changeRequired);
    }

    static UserPassword hashed(String encodedHash, boolean changeRequired) {
        return new Hashed(encodedHash, changeRequired);
    }

    record Plain(String password, boolean changeRequired) implements UserPassword {

        public Plain {
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Plain[redacted, changeRequired=" + changeRequired + "]";
        }
    }

    record Hashed(String encodedHash, boolean changeRequired) implements UserPassword {

        public Hashed {
            Objects.requireNonNull(encodedHash, "encodedHash");
        }

        @Override
        public String toString() {
            return "Hashed[redacted, changeRequired=" + changeRequired + "]";
        }
    }
}
