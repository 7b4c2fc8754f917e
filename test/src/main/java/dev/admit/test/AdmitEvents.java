package dev.admit.test;

import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.IdpLinkAdded;
import dev.admit.domain.message.IdpLinkRemoved;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.InviteCodeCheckFailed;
import dev.admit.domain.message.InviteCodeSent;
import dev.admit.domain.message.InviteCodeVerified;
import dev.admit.domain.message.PasskeyAdded;
import dev.admit.domain.message.PasskeyRemoved;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.PasswordCheckFailed;
import dev.admit.domain.message.PasswordCodeAdded;
import dev.admit.domain.message.PasswordCodeCheckFailed;
import dev.admit.domain.message.PasswordCodeSent;
import dev.admit.domain.message.PasswordHashUpdated;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import java.time.Duration;

/**
 * Builders for every event of a user's stream, with defaults that make a valid stream for {@link TestIds#USER} in
 * {@link TestIds#ORG}; change only what a test is about.
 */
public final class AdmitEvents {

    private AdmitEvents() {}

    public static HumanUserAddedBuilder humanUserAdded() {
        return new HumanUserAddedBuilder();
    }

    public static HumanUserAddedBuilder humanUserAdded(UserId userId) {
        return new HumanUserAddedBuilder().userId(userId);
    }

    /** An invite code whose plain text is {@code plain}, sealed by {@code codes} for the user: returned by default. */
    public static InviteCodeAddedBuilder inviteCodeAdded(TestInviteCodes codes, UserId userId, String plain) {
        return new InviteCodeAddedBuilder(codes, userId, plain);
    }

    public static EmailVerified emailVerified() {
        return new EmailVerified();
    }

    public static InviteCodeSent inviteCodeSent() {
        return new InviteCodeSent();
    }

    public static InviteCodeVerified inviteCodeVerified() {
        return new InviteCodeVerified();
    }

    public static InviteCodeCheckFailed inviteCodeCheckFailed() {
        return new InviteCodeCheckFailed(InviteCodeCheckFailed.Reason.WRONG_CODE);
    }

    public static InviteCodeCheckFailed inviteCodeCheckFailed(InviteCodeCheckFailed.Reason reason) {
        return new InviteCodeCheckFailed(reason);
    }

    /** The password {@link TestPasswords#GOOD} was set, with its stand-in hash. */
    public static PasswordChanged passwordChanged() {
        return passwordChanged(TestPasswords.GOOD);
    }

    /** {@code plain} was set as the password, with its stand-in hash ({@link TestPasswords#hashOf}). */
    public static PasswordChanged passwordChanged(String plain) {
        return new PasswordChanged(TestPasswords.hashOf(plain).encoded(), false);
    }

    public static PasswordHashUpdated passwordHashUpdated(String encodedHash) {
        return new PasswordHashUpdated(encodedHash);
    }

    public static PasswordCheckFailed passwordCheckFailed() {
        return new PasswordCheckFailed();
    }

    /** A reset code whose plain text is {@code plain}, sealed by {@code codes} for the user: returned by default. */
    public static PasswordCodeAddedBuilder passwordCodeAdded(TestInviteCodes codes, UserId userId, String plain) {
        return new PasswordCodeAddedBuilder(codes, userId, plain);
    }

    public static PasswordCodeSent passwordCodeSent() {
        return new PasswordCodeSent();
    }

    public static PasswordCodeCheckFailed passwordCodeCheckFailed(PasswordCodeCheckFailed.Reason reason) {
        return new PasswordCodeCheckFailed(reason);
    }

    public static PasskeyAdded passkeyAdded() {
        return new PasskeyAdded("passkey-1");
    }

    public static PasskeyRemoved passkeyRemoved() {
        return new PasskeyRemoved("passkey-1");
    }

    public static IdpLinkAdded idpLinkAdded() {
        return new IdpLinkAdded("idp-1", "external-1", "Ada Lovelace");
    }

    public static IdpLinkRemoved idpLinkRemoved() {
        return new IdpLinkRemoved("idp-1", "external-1");
    }

    /** {@code user.human.added}: Ada Lovelace, ada@example.com, English. */
    public static final class HumanUserAddedBuilder {
        private UserId userId = TestIds.USER;
        private OrgId orgId = TestIds.ORG;
        private String username;
        private String givenName = "Ada";
        private String familyName = "Lovelace";
        private String displayName;
        private String preferredLanguage = "en";
        private String email = "ada@example.com";

        public HumanUserAddedBuilder userId(UserId userId) {
            this.userId = userId;
            return this;
        }

        public HumanUserAddedBuilder orgId(OrgId orgId) {
            this.orgId = orgId;
            return this;
        }

        public HumanUserAddedBuilder username(String username) {
            this.username = username;
            return this;
        }

        public HumanUserAddedBuilder givenName(String givenName) {
            this.givenName = givenName;
            return this;
        }

        public HumanUserAddedBuilder familyName(String familyName) {
            this.familyName = familyName;
            return this;
        }

        public HumanUserAddedBuilder displayName(String displayName) {
            this.displayName = displayName;
            return this;
        }

        public HumanUserAddedBuilder preferredLanguage(String preferredLanguage) {
            this.preferredLanguage = preferredLanguage;
            return this;
        }

        /** The email, and the username unless one was given. */
        public HumanUserAddedBuilder email(String email) {
            this.email = email;
            return this;
        }

        public HumanUserAdded build() {
            return new HumanUserAdded(
                    userId,
                    orgId,
                    username != null ? username : email,
                    givenName,
                    familyName,
                    displayName,
                    preferredLanguage,
                    email);
        }
    }

    /** {@code user.human.invite.code.added}: returned to the caller, with the policy's expiry. */
    public static final class InviteCodeAddedBuilder {
        private final TestInviteCodes codes;
        private final UserId userId;
        private final String plain;
        private Duration expiry;
        private String urlTemplate;
        private String applicationName;
        private boolean returned = true;

        private InviteCodeAddedBuilder(TestInviteCodes codes, UserId userId, String plain) {
            this.codes = codes;
            this.userId = userId;
            this.plain = plain;
            this.expiry = codes.policy().expiry();
        }

        public InviteCodeAddedBuilder expiry(Duration expiry) {
            this.expiry = expiry;
            return this;
        }

        /** A code to be mailed, with the link template and application name it was created with (either may be null). */
        public InviteCodeAddedBuilder mailed(String urlTemplate, String applicationName) {
            this.returned = false;
            this.urlTemplate = urlTemplate;
            this.applicationName = applicationName;
            return this;
        }

        public InviteCodeAdded build() {
            return new InviteCodeAdded(codes.seal(userId, plain), expiry, urlTemplate, applicationName, returned);
        }
    }

    /** {@code user.human.password.code.added}: returned to the caller, with the reset policy's expiry. */
    public static final class PasswordCodeAddedBuilder {
        private final TestInviteCodes codes;
        private final UserId userId;
        private final String plain;
        private Duration expiry;
        private String urlTemplate;
        private boolean returned = true;

        private PasswordCodeAddedBuilder(TestInviteCodes codes, UserId userId, String plain) {
            this.codes = codes;
            this.userId = userId;
            this.plain = plain;
            this.expiry = codes.inviteCodes().passwordResetCodes().policy().expiry();
        }

        public PasswordCodeAddedBuilder expiry(Duration expiry) {
            this.expiry = expiry;
            return this;
        }

        /** A code to be mailed, with the link template it was requested with (null: the configured default). */
        public PasswordCodeAddedBuilder mailed(String urlTemplate) {
            this.returned = false;
            this.urlTemplate = urlTemplate;
            return this;
        }

        public PasswordCodeAdded build() {
            return new PasswordCodeAdded(codes.sealPasswordCode(userId, plain), expiry, urlTemplate, returned);
        }
    }
}
