package dev.admit.projection;

import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import java.time.Instant;

/** A user as the users projection holds it. */
public record UserView(
        UserId userId,
        OrgId orgId,
        String username,
        String givenName,
        String familyName,
        String displayName,
        String preferredLanguage,
        String email,
        boolean emailVerified,
        UserState state,
        Instant creationDate,
        ReadDetails details) {

    /** The lifecycle states a user can be in; every user this service creates is active. */
    public enum UserState {
        ACTIVE
    }
}
