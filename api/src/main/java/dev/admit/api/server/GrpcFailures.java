package dev.admit.api.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * Statuses for gRPC calls that never reached the service because the client sent something broken: an
 * undecodable message or frame is the client's error (INVALID_ARGUMENT), an unknown compression is UNIMPLEMENTED,
 * and no description ever names a class of the server. Statuses the service produced itself pass unchanged.
 */
public final class GrpcFailures implements GrpcExceptionHandlerFunction {

    private static final Metadata.Key<byte[]> DETAILS =
            Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

    @Override
    public Status apply(RequestContext ctx, Status status, Throwable cause, Metadata metadata) {
        if (producedByService(status, cause)) {
            return status;
        }
        if (mentions(cause, status, "encoding") || mentions(cause, status, "compress")) {
            return Status.UNIMPLEMENTED.withDescription("unsupported message compression");
        }
        return switch (status.getCode()) {
            case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED.withDescription("request too large");
            case UNIMPLEMENTED -> Status.UNIMPLEMENTED.withDescription("method not implemented");
            case CANCELLED, DEADLINE_EXCEEDED, UNAUTHENTICATED, PERMISSION_DENIED -> status;
            default ->
                Status.INVALID_ARGUMENT.withDescription(
                        isUndecodableMessage(cause)
                                ? "invalid request: not a valid protobuf message of this method"
                                : "invalid request: malformed gRPC message");
        };
    }

    /** Our own answers are status exceptions carrying the zitadel error detail, or a fixed internal message. */
    private static boolean producedByService(Status status, Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof io.grpc.StatusRuntimeException sre
                    && sre.getTrailers() != null
                    && sre.getTrailers().containsKey(DETAILS)) {
                return true;
            }
        }
        String description = status.getDescription();
        return description != null
                && (description.startsWith("Internal error") || description.startsWith("The service"));
    }

    private static boolean isUndecodableMessage(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof InvalidProtocolBufferException) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentions(Throwable cause, Status status, String word) {
        if (status.getDescription() != null
                && status.getDescription().toLowerCase().contains(word)) {
            return true;
        }
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().toLowerCase().contains(word)) {
                return true;
            }
        }
        return false;
    }
}
