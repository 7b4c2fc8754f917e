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
    /** A concurrent change made the request stale; trying again may succeed. */
    ABORTED,
    /** A bounded resource is full for now; trying again later may succeed. */
    RESOURCE_EXHAUSTED,
    UNIMPLEMENTED
}
