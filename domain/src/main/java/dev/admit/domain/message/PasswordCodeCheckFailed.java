package dev.admit.domain.message;

import java.util.Objects;
import org.axonframework.serialization.Revision;

/** A password reset code was refused. It is the audit trail and the attempt counter. */
@Revision("1")
public record PasswordCodeCheckFailed(Reason reason) implements UserEvent {

    public enum Reason {
        /** The code differs from the active one: counted as an attempt. */
        WRONG_CODE,
        /** The code had expired; it is dead from now on. */
        EXPIRED,
        /** No code was active: none issued, or the last one ended or ran out of attempts. */
        NO_ACTIVE_CODE,
        /** The password was changed since the code was issued. */
        USED,
        /** The code could not be opened: its key is not configured, or it was altered. Not counted as an attempt. */
        UNREADABLE
    }

    public PasswordCodeCheckFailed {
        Objects.requireNonNull(reason, "reason");
    }
}
