package dev.admit.core.api;

import dev.admit.projection.ReadDetails;
import dev.admit.projection.UserView;
import java.util.List;
import java.util.Objects;

/**
 * The kinds of authentication method a user has (a password, passkeys, identity-provider links), each listed once in
 * the order of {@link UserView.AuthenticationMethod}, and the details of the read: the 1-based sequence and timestamp
 * of the user's last event the read model has applied, and the user's organization.
 */
public record UserAuthenticationMethods(List<UserView.AuthenticationMethod> types, ReadDetails details) {

    public UserAuthenticationMethods {
        types = List.copyOf(types);
        Objects.requireNonNull(details, "details");
    }

    /** The methods of a user as the read model shows it. */
    public static UserAuthenticationMethods of(UserView user) {
        return new UserAuthenticationMethods(List.copyOf(user.authenticationMethods()), user.details());
    }
}
