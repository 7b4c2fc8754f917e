package dev.admit.domain.message;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;

/**
 * The answer to a verification. A rejection is a result, not an exception, because the failure it records must be
 * committed: an exception would roll the unit of work back and lose the attempt.
 */
public sealed interface VerifyInviteCodeOutcome {

    WriteDetails details();

    /** The code was right: the invite is accepted and the email verified. */
    record Verified(WriteDetails details) implements VerifyInviteCodeOutcome {}

    /**
     * The attempt failed and was recorded; the caller is answered with {@code error}.
     *
     * @param detail what the answer names besides the catalogue's text (a key id), or null
     */
    record Rejected(ErrorCatalogue error, WriteDetails details, String detail) implements VerifyInviteCodeOutcome {

        public Rejected(ErrorCatalogue error, WriteDetails details) {
            this(error, details, null);
        }

        /** The refusal to answer with. */
        public DomainException refusal() {
            return error.exception(detail);
        }
    }
}
