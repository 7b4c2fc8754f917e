package dev.admit.domain.user;

import dev.admit.domain.crypto.EncryptedCode;
import dev.admit.domain.invite.InviteCodePolicy;
import java.time.Instant;

/**
 * The user's latest password reset code as the aggregate remembers it. {@code ended} is set when it expired on an
 * attempt; {@code used} when the password changed after it was issued; running out of attempts is judged against the
 * policy when asked.
 */
record IssuedPasswordCode(
        EncryptedCode sealed,
        Instant expiresAt,
        long issuedSequence,
        boolean returned,
        boolean sent,
        int failures,
        boolean ended,
        boolean used) {

    /** Not ended, not used, and not out of attempts; expiry is judged separately. */
    boolean live(InviteCodePolicy policy) {
        return !ended && !used && !policy.exhaustedAfter(failures);
    }

    /** Expired from the expiry instant on: a code expiring at T is refused at T. */
    boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    IssuedPasswordCode withFailure() {
        return new IssuedPasswordCode(sealed, expiresAt, issuedSequence, returned, sent, failures + 1, ended, used);
    }

    IssuedPasswordCode asEnded() {
        return new IssuedPasswordCode(sealed, expiresAt, issuedSequence, returned, sent, failures, true, used);
    }

    IssuedPasswordCode asUsed() {
        return new IssuedPasswordCode(sealed, expiresAt, issuedSequence, returned, sent, failures, ended, true);
    }

    IssuedPasswordCode asSent() {
        return new IssuedPasswordCode(sealed, expiresAt, issuedSequence, returned, true, failures, ended, used);
    }
}
