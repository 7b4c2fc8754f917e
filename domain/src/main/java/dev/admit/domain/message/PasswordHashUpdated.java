package dev.admit.domain.message;

import org.axonframework.serialization.Revision;

/**
 * The user's password hash was re-encoded with the current settings after a successful check, because the stored one
 * was weaker (another algorithm, or lower costs). The password itself did not change.
 */
@Revision("1")
public record PasswordHashUpdated(String encodedHash) implements UserEvent {

    @Override
    public String toString() {
        return "PasswordHashUpdated[encodedHash=redacted]";
    }
}
