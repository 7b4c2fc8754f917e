package dev.admit.domain.message;

import dev.admit.domain.user.OrgId;
import java.time.Instant;
import java.util.Objects;

/**
 * What a write did: the 1-based sequence and the timestamp of the last event it appended to the user's stream
 * (or of the stream's last event, when it appended none), and the user's organization.
 */
public record WriteDetails(long sequence, Instant changeDate, OrgId resourceOwner) {

    public WriteDetails {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence is 1-based");
        }
        Objects.requireNonNull(changeDate, "changeDate");
        Objects.requireNonNull(resourceOwner, "resourceOwner");
    }
}
