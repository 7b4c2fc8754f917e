package dev.admit.domain.invite;

import dev.admit.domain.crypto.CodeCipher;
import dev.admit.domain.crypto.EncryptedCode;
import dev.admit.domain.crypto.UndecryptableCodeException;
import dev.admit.domain.user.UserId;

/**
 * Issues invite codes sealed for one user and checks attempts against them. The plain code leaves only through
 * {@link IssuedCode#plain()} or {@link #reveal}, for the response or the mail.
 */
public final class InviteCodes {

    private final InviteCodePolicy policy;
    private final InviteCodeGenerator generator;
    private final CodeCipher cipher;

    public InviteCodes(InviteCodePolicy policy, InviteCodeGenerator generator, CodeCipher cipher) {
        this.policy = policy;
        this.generator = generator;
        this.cipher = cipher;
    }

    /** A fresh code and its sealed form, bound to {@code userId}. */
    public record IssuedCode(InviteCode plain, EncryptedCode sealed) {}

    public InviteCodePolicy policy() {
        return policy;
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

    private static String context(UserId userId) {
        return "invite-code:" + userId.value();
    }
}
