package dev.admit.projection;

import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A user as the users projection holds it.
 *
 * @param passwordChanged when the password was last set ({@code user.human.password.changed}); null without one
 * @param passwordChangeRequired whether that password must be changed at the next sign-in
 * @param authenticationMethods the kinds of authentication method the user has, in their declared order
 */
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
        ReadDetails details,
        Instant passwordChanged,
        boolean passwordChangeRequired,
        Set<AuthenticationMethod> authenticationMethods) {

    public UserView {
        authenticationMethods = authenticationMethods.isEmpty()
                ? Set.of()
                : java.util.Collections.unmodifiableSet(EnumSet.copyOf(authenticationMethods));
    }

    /** The lifecycle states a user can be in; every user this service creates is active. */
    public enum UserState {
        ACTIVE
    }

    /**
     * The kinds of authentication method a user can have: a password, one or more passkeys, one or more links to
     * identity providers. A user with any of them is initialized.
     */
    public enum AuthenticationMethod {
        PASSWORD,
        PASSKEY,
        IDP
    }
}
