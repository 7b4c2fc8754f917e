package dev.admit.domain.message;

import java.util.Objects;
import org.axonframework.serialization.Revision;

/** A verification attempt failed. It is the audit trail and the attempt counter. */
@Revision("1")
public record InviteCodeCheckFailed(Reason reason) implements UserEvent {

    public enum Reason {
        WRONG_CODE,
        EXPIRED,
        NO_ACTIVE_CODE,
        /** The code could not be opened: its key is not configured, or it was altered. Not counted as an attempt. */
        UNREADABLE
    }

    public InviteCodeCheckFailed {
        Objects.requireNonNull(reason, "reason");
    }
}
