package dev.admit.store.stream;

/** A line of an import that cannot be stored; nothing of its batch was written. */
public class RefusedLineException extends RuntimeException {

    private final long line;
    private final String reason;

    RefusedLineException(long line, String reason) {
        super("line " + line + ": " + reason);
        this.line = line;
        this.reason = reason;
    }

    /** The line's number in the input, from 1. */
    public long line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
