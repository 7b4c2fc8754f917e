package dev.admit.domain.error;

/**
 * A rule of the domain refused a command. Carries only catalogue text, never input values, so its message is
 * safe to show and to log. It has no stack trace: it is an answer, not a fault.
 */
public final class DomainException extends RuntimeException {

    private final ErrorCatalogue error;

    public DomainException(ErrorCatalogue error) {
        super(error.wireMessage(), null, false, false);
        this.error = error;
    }

    public ErrorCatalogue error() {
        return error;
    }
}
