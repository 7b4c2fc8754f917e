package dev.admit.domain.message;

import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.Username;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Create a human user. {@code username} defaults to the email address; {@code emailVerified} also marks the email
 * verified; a {@code password} (null for none) initializes the user in the same command.
 */
public record AddHumanUserCommand(
        @TargetAggregateIdentifier UserId userId,
        OrgId orgId,
        Username username,
        String givenName,
        String familyName,
        String displayName,
        String preferredLanguage,
        EmailAddress email,
        boolean emailVerified,
        InitialPassword password) {

    public AddHumanUserCommand {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(email, "email");
        InvalidValueException.requireLength("profile.given_name", givenName, 1, 200);
        InvalidValueException.requireLength("profile.family_name", familyName, 1, 200);
        InvalidValueException.requireLength("profile.display_name", displayName, 0, 200);
        InvalidValueException.requireLength("profile.preferred_language", preferredLanguage, 0, 10);
        if (username == null) {
            username = new Username(email.value());
        }
    }

    /** A user without a password. */
    public AddHumanUserCommand(
            UserId userId,
            OrgId orgId,
            Username username,
            String givenName,
            String familyName,
            String displayName,
            String preferredLanguage,
            EmailAddress email,
            boolean emailVerified) {
        this(
                userId,
                orgId,
                username,
                givenName,
                familyName,
                displayName,
                preferredLanguage,
                email,
                emailVerified,
                null);
    }
}
