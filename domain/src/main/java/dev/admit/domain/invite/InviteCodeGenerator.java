package dev.admit.domain.invite;

import java.security.SecureRandom;

/**
 * Draws codes from a CSPRNG. Each symbol is chosen with {@link SecureRandom#nextInt(int)}, which rejects the
 * out-of-range tail of its draws instead of reducing modulo the alphabet size, so every symbol is equally likely.
 */
public final class InviteCodeGenerator {

    private final SecureRandom random;

    public InviteCodeGenerator(SecureRandom random) {
        this.random = random;
    }

    public InviteCode next(InviteCodePolicy policy) {
        String alphabet = policy.alphabet();
        char[] symbols = new char[policy.length()];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new InviteCode(new String(symbols));
    }
}
