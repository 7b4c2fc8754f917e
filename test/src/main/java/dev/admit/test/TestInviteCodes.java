package dev.admit.test;

import dev.admit.domain.crypto.CodeCipher;
import dev.admit.domain.crypto.EncryptedCode;
import dev.admit.domain.crypto.KeyRing;
import dev.admit.domain.invite.InviteCode;
import dev.admit.domain.invite.InviteCodeGenerator;
import dev.admit.domain.invite.InviteCodePolicy;
import dev.admit.domain.invite.InviteCodes;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.user.UserId;
import java.security.SecureRandom;

/**
 * Real invite codes for tests, sealed with a key this object holds, so a test can seal a code of its choosing into a
 * given event and read back the plain code of any code it sealed, the aggregate's included.
 */
public final class TestInviteCodes {

    private final InviteCodes inviteCodes;

    public TestInviteCodes() {
        this(InviteCodePolicy.DEFAULT);
    }

    public TestInviteCodes(InviteCodePolicy policy) {
        this(policy, InviteCodePolicy.PASSWORD_RESET_DEFAULT);
    }

    public TestInviteCodes(InviteCodePolicy policy, InviteCodePolicy passwordResetPolicy) {
        SecureRandom random = new SecureRandom();
        this.inviteCodes = new InviteCodes(
                policy,
                passwordResetPolicy,
                new InviteCodeGenerator(random),
                new CodeCipher(KeyRing.generate("test-key", random), random));
    }

    /** The invite codes to give the aggregate (a fixture's injectable resource, or a bean). */
    public InviteCodes inviteCodes() {
        return inviteCodes;
    }

    public InviteCodePolicy policy() {
        return inviteCodes.policy();
    }

    /** {@code plain} sealed for the user, as an {@code invite.code.added} event carries it. */
    public EncryptedCode seal(UserId userId, String plain) {
        return inviteCodes.seal(userId, new InviteCode(plain)).sealed();
    }

    /** The plain code a sealed code of this object's holds. */
    public String plain(UserId userId, EncryptedCode sealed) {
        return inviteCodes.reveal(userId, sealed).reveal();
    }

    /** {@code plain} sealed for the user as a password reset code, as a {@code password.code.added} carries it. */
    public EncryptedCode sealPasswordCode(UserId userId, String plain) {
        return inviteCodes
                .passwordResetCodes()
                .seal(userId, new InviteCode(plain))
                .sealed();
    }

    /** The plain reset code a sealed reset code of this object's holds. */
    public String plainPasswordCode(UserId userId, EncryptedCode sealed) {
        return inviteCodes.passwordResetCodes().reveal(userId, sealed).reveal();
    }

    /** The plain code of an {@code invite.code.added} event for the user. */
    public String plain(UserId userId, InviteCodeAdded event) {
        return plain(userId, event.code());
    }
}
