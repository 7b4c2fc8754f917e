package dev.admit.domain.user;

import dev.admit.domain.crypto.EncryptedCode;
import dev.admit.domain.invite.InviteCodePolicy;
import java.time.Instant;

/**
 * The user's latest invite code as the aggregate remembers it. {@code ended} is set by the events that end a code
 * (verified, email verified, expired attempt); running out of attempts is judged against the policy when asked.
 */
record IssuedInviteCode(
        EncryptedCode sealed,
        Instant expiresAt,
        long issuedSequence,
        String urlTemplate,
        String applicationName,
        boolean returned,
        boolean sent,
        int failures,
        boolean ended) {

    /** Not ended by any event and not out of attempts; expiry is judged separately. */
    boolean live(InviteCodePolicy policy) {
        return !ended && !policy.exhaustedAfter(failures);
    }

    /** Expired from the expiry instant on: a code expiring at T is refused at T. */
    boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    boolean active(InviteCodePolicy policy, Instant now) {
        return live(policy) && !expiredAt(now);
    }

    IssuedInviteCode withFailure() {
        return new IssuedInviteCode(
                sealed, expiresAt, issuedSequence, urlTemplate, applicationName, returned, sent, failures + 1, ended);
    }

    IssuedInviteCode asEnded() {
        return new IssuedInviteCode(
                sealed, expiresAt, issuedSequence, urlTemplate, applicationName, returned, sent, failures, true);
    }

    IssuedInviteCode asSent() {
        return new IssuedInviteCode(
                sealed, expiresAt, issuedSequence, urlTemplate, applicationName, returned, true, failures, ended);
    }
}
