package dev.admit.domain.message;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;

/**
 * The answer to a password write (SetPassword, a password check). A refused verification is a result, not an
 * exception, because the failure it records must be committed: an exception would roll the unit of work back and lose
 * it.
 */
public sealed interface PasswordOutcome {

    WriteDetails details();

    /** The verification held and the write was done. */
    record Accepted(WriteDetails details) implements PasswordOutcome {}

    /**
     * The verification failed and was recorded; the caller is answered with {@code error}.
     *
     * @param detail what the answer names besides the catalogue's text (a key id), or null
     */
    record Rejected(ErrorCatalogue error, WriteDetails details, String detail) implements PasswordOutcome {

        public Rejected(ErrorCatalogue error, WriteDetails details) {
            this(error, details, null);
        }

        /** The refusal to answer with. */
        public DomainException refusal() {
            return error.exception(detail);
        }
    }
}
