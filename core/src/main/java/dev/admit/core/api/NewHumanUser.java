package dev.admit.core.api;

import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.Username;
import java.util.Objects;

/**
 * A human user to add.
 *
 * @param userId the id to give the user, or null for a new time-ordered one
 * @param orgId the organization the user belongs to
 * @param username null: the email address
 * @param displayName optional
 * @param preferredLanguage optional, a language tag of at most 10 characters
 * @param emailVerified true when the caller has verified the address already (no invite needed for that)
 * @param password the password the user starts with, which initializes the user; null for none (then an invite)
 */
public record NewHumanUser(
        UserId userId,
        OrgId orgId,
        Username username,
        String givenName,
        String familyName,
        String displayName,
        String preferredLanguage,
        EmailAddress email,
        boolean emailVerified,
        UserPassword password) {

    public NewHumanUser {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(email, "email");
    }

    /** A user without a password. */
    public NewHumanUser(
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

    /** A user with a generated id, the email as username, and nothing optional. */
    public static NewHumanUser of(OrgId orgId, String givenName, String familyName, EmailAddress email) {
        return new NewHumanUser(null, orgId, null, givenName, familyName, null, null, email, false);
    }

    /** This user, starting with {@code password}. */
    public NewHumanUser withPassword(UserPassword password) {
        return new NewHumanUser(
                userId,
                orgId,
                username,
                givenName,
                familyName,
                displayName,
                preferredLanguage,
                email,
                emailVerified,
                password);
    }
}
