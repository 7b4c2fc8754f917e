package dev.admit.domain.error;

/**
 * What kind of failure an error is, independent of any protocol. The API maps each category to its gRPC
 * status code and HTTP status.
 */
public enum ErrorCategory {
    INVALID_ARGUMENT,
    NOT_FOUND,
    ALREADY_EXISTS,
    PERMISSION_DENIED,
    FAILED_PRECONDITION,
    UNIMPLEMENTED
}
