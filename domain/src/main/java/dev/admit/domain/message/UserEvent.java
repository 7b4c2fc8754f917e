package dev.admit.domain.message;

/**
 * An event of a user's stream. Each type is stored under the stable name given in
 * {@link dev.admit.domain.serialization.EventTypes}, never under its Java name.
 */
public sealed interface UserEvent
        permits HumanUserAdded,
                EmailVerified,
                InviteCodeAdded,
                InviteCodeSent,
                InviteCodeVerified,
                InviteCodeCheckFailed,
                PasswordChanged,
                PasswordHashUpdated,
                PasswordCheckFailed,
                PasswordCodeAdded,
                PasswordCodeSent,
                PasswordCodeCheckFailed,
                PasskeyAdded,
                PasskeyRemoved,
                IdpLinkAdded,
                IdpLinkRemoved {}
