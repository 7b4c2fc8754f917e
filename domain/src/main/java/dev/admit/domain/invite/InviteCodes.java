package dev.admit.domain.invite;

import dev.admit.domain.crypto.CodeCipher;
import dev.admit.domain.crypto.EncryptedCode;
import dev.admit.domain.crypto.UndecryptableCodeException;
import dev.admit.domain.user.UserId;
import java.util.Objects;

/**
 * Issues invite codes sealed for one user and checks attempts against them. The plain code leaves only through
 * {@link IssuedCode#plain()} or {@link #reveal}, for the response or the mail.
 *
 * <p>{@link #passwordResetCodes()} are the same machinery (generator, cipher) with a policy of their own; they are
 * sealed for another purpose, so a sealed invite code copied into a reset-code event does not open, nor the reverse.
 */
public final class InviteCodes {

    private static final String INVITE_CONTEXT = "invite-code:";
    private static final String PASSWORD_RESET_CONTEXT = "password-code:";

    private final InviteCodePolicy policy;
    private final InviteCodeGenerator generator;
    private final CodeCipher cipher;
    private final String context;
    private final InviteCodes passwordResetCodes;

    /** Invite codes under {@code policy}; reset codes under {@link InviteCodePolicy#PASSWORD_RESET_DEFAULT}. */
    public InviteCodes(InviteCodePolicy policy, InviteCodeGenerator generator, CodeCipher cipher) {
        this(policy, InviteCodePolicy.PASSWORD_RESET_DEFAULT, generator, cipher);
    }

    public InviteCodes(
            InviteCodePolicy policy,
            InviteCodePolicy passwordResetPolicy,
            InviteCodeGenerator generator,
            CodeCipher cipher) {
        this(
                policy,
                generator,
                cipher,
                INVITE_CONTEXT,
                new InviteCodes(passwordResetPolicy, generator, cipher, PASSWORD_RESET_CONTEXT, null));
    }

    private InviteCodes(
            InviteCodePolicy policy,
            InviteCodeGenerator generator,
            CodeCipher cipher,
            String context,
            InviteCodes passwordResetCodes) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.generator = Objects.requireNonNull(generator, "generator");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.context = context;
        this.passwordResetCodes = passwordResetCodes;
    }

    /** A fresh code and its sealed form, bound to {@code userId}. */
    public record IssuedCode(InviteCode plain, EncryptedCode sealed) {}

    public InviteCodePolicy policy() {
        return policy;
    }

    /** The password reset codes: issued, sealed and checked like these, under their own policy and purpose. */
    public InviteCodes passwordResetCodes() {
        if (passwordResetCodes == null) {
            throw new IllegalStateException("these are the password reset codes already");
        }
        return passwordResetCodes;
    }

    public IssuedCode issue(UserId userId) {
        return seal(userId, generator.next(policy));
    }

    /** A given code sealed for {@code userId}, exactly as {@link #issue} seals a fresh one (for tests and imports). */
    public IssuedCode seal(UserId userId, InviteCode plain) {
        return new IssuedCode(plain, cipher.encrypt(plain.reveal(), context(userId)));
    }

    /**
     * Whether {@code attempt} is the code sealed in {@code sealed}, compared in constant time.
     *
     * @throws UndecryptableCodeException if the sealed code cannot be opened (tampered, or its key is gone)
     */
    public boolean matches(UserId userId, EncryptedCode sealed, String attempt) {
        return reveal(userId, sealed).matches(attempt);
    }

    public InviteCode reveal(UserId userId, EncryptedCode sealed) {
        return new InviteCode(cipher.decrypt(sealed, context(userId)));
    }

    private String context(UserId userId) {
        return context + userId.value();
    }
}
