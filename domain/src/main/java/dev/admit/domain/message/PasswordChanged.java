package dev.admit.domain.message;

import org.axonframework.serialization.Revision;

/** A password was set: an authentication method. */
@Revision("1")
public record PasswordChanged(String encodedHash, boolean changeRequired) implements UserEvent {

    @Override
    public String toString() {
        return "PasswordChanged[encodedHash=redacted, changeRequired=" + changeRequired + "]";
    }
}
