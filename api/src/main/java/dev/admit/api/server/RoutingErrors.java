package dev.admit.api.server;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.grpc.protocol.GrpcHeaderNames;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.admit.api.security.TokenVerifier;
import io.grpc.Status;

/**
 * Answers that no RPC produced (an unknown route, a wrong method, an oversized or broken request) as a JSON
 * {@code google.rpc.Status}: unknown route 404 with code 5, wrong method 405 with code 12, too large or malformed
 * 400 with code 3. gRPC requests are left to gRPC's own framing of errors. A request refused for its body (too
 * large, malformed, of the wrong type) without a valid bearer token is answered 401 instead, as every route answers
 * an anonymous caller before looking at its body.
 */
public final class RoutingErrors implements ServerErrorHandler {

    private final TokenVerifier tokens;

    public RoutingErrors(TokenVerifier tokens) {
        this.tokens = tokens;
    }

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        return null;
    }

    @Override
    public AggregatedHttpResponse renderStatus(
            ServiceRequestContext ctx,
            ServiceConfig config,
            RequestHeaders headers,
            HttpStatus status,
            String description,
            Throwable cause) {
        if (headers != null && isAboutTheBody(status) && !authenticated(headers.get(HttpHeaderNames.AUTHORIZATION))) {
            status = HttpStatus.UNAUTHORIZED;
        }
        if (headers != null && isGrpc(headers.contentType())) {
            return grpcTrailersOnly(headers.contentType(), status);
        }
        Status.Code code;
        String message;
        HttpStatus httpStatus = status;
        switch (status.code()) {
            case 404 -> {
                code = Status.Code.NOT_FOUND;
                message = "Not Found";
            }
            case 405 -> {
                code = Status.Code.UNIMPLEMENTED;
                message = "Method Not Allowed";
            }
            case 413 -> {
                code = Status.Code.INVALID_ARGUMENT;
                message = "invalid request: the body is too large";
                httpStatus = HttpStatus.BAD_REQUEST;
            }
            case 400 -> {
                code = Status.Code.INVALID_ARGUMENT;
                message = "invalid request";
            }
            case 401 -> {
                code = Status.Code.UNAUTHENTICATED;
                message = "Token is missing or invalid";
            }
            case 403 -> {
                code = Status.Code.PERMISSION_DENIED;
                message = "No matching permissions found";
            }
            case 408, 504 -> {
                code = Status.Code.DEADLINE_EXCEEDED;
                message = "Request timed out";
            }
            case 415 -> {
                code = Status.Code.INVALID_ARGUMENT;
                message = "invalid request: unsupported content type";
                httpStatus = HttpStatus.BAD_REQUEST;
            }
            case 429 -> {
                code = Status.Code.RESOURCE_EXHAUSTED;
                message = "Too Many Requests";
            }
            case 503 -> {
                code = Status.Code.UNAVAILABLE;
                message = "The service is temporarily unavailable";
            }
            default -> {
                code = status.isClientError() ? Status.Code.INVALID_ARGUMENT : Status.Code.INTERNAL;
                message = status.isClientError() ? "invalid request" : "Internal error";
                if (status.isClientError()) {
                    httpStatus = HttpStatus.BAD_REQUEST;
                }
            }
        }
        com.google.rpc.Status body = com.google.rpc.Status.newBuilder()
                .setCode(code.value())
                .setMessage(message)
                .build();
        return AggregatedHttpResponse.of(
                ResponseHeaders.builder(httpStatus)
                        .contentType(MediaType.JSON_UTF_8)
                        .addInt(GrpcHeaderNames.GRPC_STATUS, code.value())
                        .build(),
                HttpData.ofUtf8(JsonStatusBodies.json(body)));
    }

    /**
     * A gRPC client refused before any service ran (unknown method, oversized message) still gets a gRPC answer:
     * HTTP 200 with the status in the headers, as the protocol's "trailers-only" form.
     */
    private static AggregatedHttpResponse grpcTrailersOnly(MediaType contentType, HttpStatus status) {
        Status grpc = switch (status.code()) {
            case 404, 405 -> Status.UNIMPLEMENTED.withDescription("method not implemented");
            case 413 -> Status.RESOURCE_EXHAUSTED.withDescription("request too large");
            case 401 -> Status.UNAUTHENTICATED.withDescription("Token is missing or invalid");
            case 403 -> Status.PERMISSION_DENIED.withDescription("No matching permissions found");
            case 503 -> Status.UNAVAILABLE.withDescription("The service is temporarily unavailable");
            default ->
                status.isClientError()
                        ? Status.INVALID_ARGUMENT.withDescription("invalid request")
                        : Status.INTERNAL.withDescription("Internal error");
        };
        return AggregatedHttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                .contentType(contentType)
                .addInt(GrpcHeaderNames.GRPC_STATUS, grpc.getCode().value())
                .add(GrpcHeaderNames.GRPC_MESSAGE, grpc.getDescription())
                .build());
    }

    private static boolean isAboutTheBody(HttpStatus status) {
        return status.code() == 400 || status.code() == 413 || status.code() == 415;
    }

    private boolean authenticated(String authorization) {
        return tokens.verifyAuthorization(authorization).isPresent();
    }

    private static boolean isGrpc(MediaType contentType) {
        return contentType != null && contentType.subtype().startsWith("grpc");
    }
}
