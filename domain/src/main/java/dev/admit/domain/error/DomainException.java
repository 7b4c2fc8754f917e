package dev.admit.domain.error;

/**
 * A rule of the domain refused a command. Carries only catalogue text, never input values, so its message is
 * safe to show and to log. It has no stack trace: it is an answer, not a fault.
 */
public final class DomainException extends RuntimeException {

    private final ErrorCatalogue error;
    private final String detail;

    public DomainException(ErrorCatalogue error) {
        this(error, null);
    }

    /** @param detail configuration the refusal names (a key id), never a value from the request; may be null */
    public DomainException(ErrorCatalogue error, String detail) {
        super(text(error, detail) + " (" + error.id() + ")", null, false, false);
        this.error = error;
        this.detail = detail;
    }

    public ErrorCatalogue error() {
        return error;
    }

    /** The catalogue's text, followed by the detail where there is one. */
    public String text() {
        return text(error, detail);
    }

    private static String text(ErrorCatalogue error, String detail) {
        return detail == null ? error.text() : error.text() + " (" + detail + ")";
    }
}
