package dev.admit.test;

import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.CheckPasswordCommand;
import dev.admit.domain.message.ConfirmInviteCodeSentCommand;
import dev.admit.domain.message.ConfirmPasswordCodeSentCommand;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.InitialPassword;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasswordResetDelivery;
import dev.admit.domain.message.ReadPasswordHashCommand;
import dev.admit.domain.message.RequestPasswordResetCommand;
import dev.admit.domain.message.ResendInviteCodeCommand;
import dev.admit.domain.message.SetPasswordCommand;
import dev.admit.domain.message.SetPasswordVerification;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.password.PasswordHash;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.Username;

/**
 * Builders for every command of the {@code User} aggregate, for {@link TestIds#USER} in {@link TestIds#ORG} and
 * within that organization's scope unless told otherwise.
 */
public final class AdmitCommands {

    private AdmitCommands() {}

    public static AddHumanUserBuilder addHumanUser() {
        return new AddHumanUserBuilder();
    }

    public static CreateInviteCodeBuilder createInviteCode(UserId userId) {
        return new CreateInviteCodeBuilder(userId);
    }

    public static ResendInviteCodeCommand resendInviteCode(UserId userId) {
        return new ResendInviteCodeCommand(userId, OrgScope.only(TestIds.ORG));
    }

    public static ResendInviteCodeCommand resendInviteCode(UserId userId, OrgScope scope) {
        return new ResendInviteCodeCommand(userId, scope);
    }

    public static VerifyInviteCodeCommand verifyInviteCode(UserId userId, String code) {
        return new VerifyInviteCodeCommand(userId, OrgScope.only(TestIds.ORG), code);
    }

    public static VerifyInviteCodeCommand verifyInviteCode(UserId userId, OrgScope scope, String code) {
        return new VerifyInviteCodeCommand(userId, scope, code);
    }

    /** The mail dispatcher's record that the code at {@code codeSequence} (1-based) was delivered. */
    public static ConfirmInviteCodeSentCommand confirmInviteCodeSent(UserId userId, long codeSequence) {
        return new ConfirmInviteCodeSentCommand(userId, codeSequence);
    }

    /** Sets {@code plain} (under the default policy, with its stand-in hash) without verification. */
    public static SetPasswordCommand setPassword(UserId userId, String plain) {
        return setPassword(userId, plain, new SetPasswordVerification.Unverified());
    }

    public static SetPasswordCommand setPassword(UserId userId, String plain, SetPasswordVerification verification) {
        return new SetPasswordCommand(
                userId, OrgScope.only(TestIds.ORG), TestPasswords.newPassword(plain), verification);
    }

    /** Sets {@code plain} after the entry point checked {@code attempt} against the stored {@code current}. */
    public static SetPasswordCommand setPasswordWithCurrent(
            UserId userId, String plain, String current, String attempt) {
        return setPassword(
                userId, plain, new SetPasswordVerification.CurrentPassword(TestPasswords.checked(current, attempt)));
    }

    public static SetPasswordCommand setPasswordWithResetCode(UserId userId, String plain, String code) {
        return setPassword(userId, plain, new SetPasswordVerification.ResetCode(code));
    }

    /** Records a check of {@code attempt} against the stored {@code current}, re-encoding to {@code rehash} if given. */
    public static CheckPasswordCommand checkPassword(
            UserId userId, String current, String attempt, PasswordHash rehash) {
        return new CheckPasswordCommand(
                userId, OrgScope.only(TestIds.ORG), TestPasswords.checked(current, attempt), rehash);
    }

    public static ReadPasswordHashCommand readPasswordHash(UserId userId) {
        return new ReadPasswordHashCommand(userId, OrgScope.only(TestIds.ORG));
    }

    /** A reset code returned to the caller. */
    public static RequestPasswordResetCommand requestPasswordReset(UserId userId) {
        return requestPasswordReset(userId, new PasswordResetDelivery.ReturnCode());
    }

    public static RequestPasswordResetCommand requestPasswordReset(UserId userId, PasswordResetDelivery delivery) {
        return new RequestPasswordResetCommand(userId, OrgScope.only(TestIds.ORG), delivery);
    }

    /** The mail dispatcher's record that the reset code at {@code codeSequence} (1-based) was delivered. */
    public static ConfirmPasswordCodeSentCommand confirmPasswordCodeSent(UserId userId, long codeSequence) {
        return new ConfirmPasswordCodeSentCommand(userId, codeSequence);
    }

    /** Adds Ada Lovelace, ada@example.com, English, email not verified. */
    public static final class AddHumanUserBuilder {
        private UserId userId = TestIds.USER;
        private OrgId orgId = TestIds.ORG;
        private Username username;
        private String givenName = "Ada";
        private String familyName = "Lovelace";
        private String displayName;
        private String preferredLanguage = "en";
        private EmailAddress email = new EmailAddress("ada@example.com");
        private boolean emailVerified;
        private InitialPassword password;

        /** A chosen password under the default policy, with its stand-in hash when it complies. */
        public AddHumanUserBuilder password(String plain) {
            this.password = new InitialPassword.Chosen(TestPasswords.newPassword(plain));
            return this;
        }

        /** An imported hash. */
        public AddHumanUserBuilder hashedPassword(PasswordHash hash, boolean changeRequired) {
            this.password = new InitialPassword.Imported(hash, changeRequired);
            return this;
        }

        public AddHumanUserBuilder userId(UserId userId) {
            this.userId = userId;
            return this;
        }

        public AddHumanUserBuilder orgId(OrgId orgId) {
            this.orgId = orgId;
            return this;
        }

        public AddHumanUserBuilder username(String username) {
            this.username = new Username(username);
            return this;
        }

        public AddHumanUserBuilder givenName(String givenName) {
            this.givenName = givenName;
            return this;
        }

        public AddHumanUserBuilder familyName(String familyName) {
            this.familyName = familyName;
            return this;
        }

        public AddHumanUserBuilder displayName(String displayName) {
            this.displayName = displayName;
            return this;
        }

        public AddHumanUserBuilder preferredLanguage(String preferredLanguage) {
            this.preferredLanguage = preferredLanguage;
            return this;
        }

        public AddHumanUserBuilder email(String email) {
            this.email = new EmailAddress(email);
            return this;
        }

        public AddHumanUserBuilder emailVerified() {
            this.emailVerified = true;
            return this;
        }

        public AddHumanUserCommand build() {
            return new AddHumanUserCommand(
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

    /** A code to be mailed with the user's last (or the default) template and name, unless told otherwise. */
    public static final class CreateInviteCodeBuilder {
        private final UserId userId;
        private OrgScope scope = OrgScope.only(TestIds.ORG);
        private InviteDelivery delivery = InviteDelivery.SendCode.withDefaults();

        private CreateInviteCodeBuilder(UserId userId) {
            this.userId = userId;
        }

        public CreateInviteCodeBuilder scope(OrgScope scope) {
            this.scope = scope;
            return this;
        }

        public CreateInviteCodeBuilder returnCode() {
            this.delivery = new InviteDelivery.ReturnCode();
            return this;
        }

        public CreateInviteCodeBuilder sendCode(String urlTemplate, String applicationName) {
            this.delivery = new InviteDelivery.SendCode(urlTemplate, applicationName);
            return this;
        }

        public CreateInviteCodeCommand build() {
            return new CreateInviteCodeCommand(userId, scope, delivery);
        }
    }
}
