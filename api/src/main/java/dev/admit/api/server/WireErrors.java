package dev.admit.api.server;

import com.google.protobuf.Any;
import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.error.InvalidValueException;
import dev.admit.store.ConflictRetry;
import dev.admit.store.DatabaseOutage;
import dev.admit.wire.v1.ErrorDetail;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors as ZITADEL clients read them (behaviour.md §5): a {@code google.rpc.Status} whose message is
 * {@code "<text> (<id>)"} and whose details hold a {@code zitadel.v1.ErrorDetail}; gRPC and gRPC-web carry it in
 * the trailers, JSON in the body. Faults inside the service become {@code UNAVAILABLE} or {@code INTERNAL} with a
 * fixed message: no stack trace, SQL or secret ever leaves, and the log line names only exception classes.
 */
public final class WireErrors {

    private static final Logger log = LoggerFactory.getLogger(WireErrors.class);

    /** A status and the trailers that carry its details. */
    public record Failure(Status status, Metadata trailers) {

        public StatusRuntimeException exception() {
            return status.asRuntimeException(trailers);
        }
    }

    private WireErrors() {}

    public static Failure of(Status.Code code, String text, String id) {
        com.google.rpc.Status.Builder status =
                com.google.rpc.Status.newBuilder().setCode(code.value());
        if (id == null) {
            status.setMessage(text);
        } else {
            status.setMessage(text + " (" + id + ")")
                    .addDetails(Any.pack(
                            ErrorDetail.newBuilder().setId(id).setMessage(text).build()));
        }
        StatusRuntimeException exception = StatusProto.toStatusRuntimeException(status.build());
        return new Failure(exception.getStatus(), exception.getTrailers());
    }

    public static Failure domain(ErrorCatalogue error) {
        return of(codeOf(error), error.text(), error.id());
    }

    public static Failure invalidArgument(String message) {
        return of(Status.Code.INVALID_ARGUMENT, message, null);
    }

    public static Failure unimplemented(String message) {
        return of(Status.Code.UNIMPLEMENTED, message, null);
    }

    public static Failure unauthenticated() {
        return of(Status.Code.UNAUTHENTICATED, "Token is missing or invalid", "AUTH-7fs1e");
    }

    public static Failure permissionDenied() {
        return of(Status.Code.PERMISSION_DENIED, "No matching permissions found", "AUTH-5mWD2");
    }

    /** The answer to any exception out of a command or query. */
    public static Failure from(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DomainException domain) {
                return of(codeOf(domain.error()), domain.text(), domain.error().id());
            }
            if (cause instanceof InvalidValueException invalid) {
                return invalidArgument(invalid.getMessage());
            }
            if (cause instanceof StatusRuntimeException status) {
                return new Failure(
                        status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
            }
        }
        if (ConflictRetry.isWriteConflict(failure)) {
            // every retry lost the race for the user's stream: the caller may simply try again
            log.warn("Request failed, write conflicts outlasted the retries: {}", classChain(failure));
            return of(Status.Code.ABORTED, "The user was changed concurrently, try again", "ADMIT-CONFLICT");
        }
        if (DatabaseOutage.report(failure)) {
            log.debug("Request failed, storage unavailable: {}", classChain(failure));
            return of(Status.Code.UNAVAILABLE, "The service is temporarily unavailable", "ADMIT-UNAVAILABLE");
        }
        log.error("Request failed: {}", classChain(failure));
        return of(Status.Code.INTERNAL, "Internal error", "ADMIT-INTERNAL");
    }

    static Status.Code codeOf(ErrorCatalogue error) {
        return switch (error.category()) {
            case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
            case PERMISSION_DENIED -> Status.Code.PERMISSION_DENIED;
            case FAILED_PRECONDITION -> Status.Code.FAILED_PRECONDITION;
            case UNIMPLEMENTED -> Status.Code.UNIMPLEMENTED;
            case ABORTED -> Status.Code.ABORTED;
            case RESOURCE_EXHAUSTED -> Status.Code.RESOURCE_EXHAUSTED;
        };
    }

    /** The exception classes of a failure's cause chain: enough to diagnose, never a message that might hold data. */
    static String classChain(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 10; cause = cause.getCause(), depth++) {
            if (chain.length() > 0) {
                chain.append(" <- ");
            }
            chain.append(cause.getClass().getName());
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                chain.append("[SQLState ").append(sql.getSQLState()).append(']');
            }
        }
        return chain.toString();
    }
}
