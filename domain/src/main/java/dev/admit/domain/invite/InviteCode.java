package dev.admit.domain.invite;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A plain invite code. It exists only in memory, on its way to the caller or into a mail; {@link #toString()} never
 * shows it, so it cannot leak into a log line by accident.
 */
public final class InviteCode {

    private final String value;

    public InviteCode(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The code itself, for the one place that must show it: the response or the mail. */
    public String reveal() {
        return value;
    }

    /** Exact, case-sensitive comparison whose time does not depend on where the inputs differ. */
    public boolean matches(String attempt) {
        if (attempt == null) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), attempt.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InviteCode code && matches(code.value);
    }

    @Override
    public int hashCode() {
        // constant on purpose: a hash of a short code would give the code away
        return InviteCode.class.hashCode();
    }

    @Override
    public String toString() {
        return "InviteCode[redacted]";
    }
}
