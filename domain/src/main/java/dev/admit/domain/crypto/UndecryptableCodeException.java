package dev.admit.domain.crypto;

/** A sealed code could not be opened: tampered, bound to another context, or sealed with a key no longer held. */
public final class UndecryptableCodeException extends RuntimeException {

    public UndecryptableCodeException(String reason) {
        super(reason);
    }
}
