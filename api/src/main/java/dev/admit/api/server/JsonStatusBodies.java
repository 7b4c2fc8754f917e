package dev.admit.api.server;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.grpc.protocol.GrpcHeaderNames;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.UnframedGrpcErrorHandler;
import dev.admit.wire.v1.ErrorDetail;
import io.grpc.Status;
import java.util.Base64;

/**
 * Errors of the JSON routes: exactly {@code {"code","message","details"}} (a {@code google.rpc.Status} in JSON),
 * with the HTTP status of behaviour.md §5. The details come from the call's {@code grpc-status-details-bin}.
 */
public final class JsonStatusBodies implements UnframedGrpcErrorHandler {

    private static final JsonFormat.Printer DETAIL_PRINTER = JsonFormat.printer()
            .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
                    .add(ErrorDetail.getDescriptor())
                    .build())
            .omittingInsignificantWhitespace();

    @Override
    public HttpResponse handle(ServiceRequestContext ctx, Status status, AggregatedHttpResponse response) {
        HttpHeaders trailers = response.trailers().isEmpty() ? response.headers() : response.trailers();
        return response(statusOf(status, decode(trailers.get(GrpcHeaderNames.GRPC_STATUS_DETAILS_BIN))));
    }

    /**
     * The status to answer a failed call with: the one its details carry when they agree with the call's code,
     * otherwise the code with a message of ours.
     */
    public static com.google.rpc.Status statusOf(Status status, com.google.rpc.Status carried) {
        if (carried != null && carried.getCode() == status.getCode().value()) {
            return carried;
        }
        return com.google.rpc.Status.newBuilder()
                .setCode(status.getCode().value())
                .setMessage(publicMessage(status))
                .build();
    }

    /** A JSON status answer for {@code status}, as any part of the server may need to send. */
    public static HttpResponse response(com.google.rpc.Status status) {
        HttpStatus httpStatus =
                HttpStatuses.of(Status.fromCodeValue(status.getCode()).getCode());
        return HttpResponse.of(
                ResponseHeaders.builder(httpStatus)
                        .contentType(MediaType.JSON_UTF_8)
                        .addInt(GrpcHeaderNames.GRPC_STATUS, status.getCode())
                        .build(),
                com.linecorp.armeria.common.HttpData.ofUtf8(json(status)));
    }

    static String json(com.google.rpc.Status status) {
        StringBuilder out = new StringBuilder(128);
        out.append("{\"code\":").append(status.getCode()).append(",\"message\":");
        quote(out, status.getMessage());
        out.append(",\"details\":[");
        boolean first = true;
        for (Any detail : status.getDetailsList()) {
            try {
                String printed = DETAIL_PRINTER.print(detail);
                if (!first) {
                    out.append(',');
                }
                out.append(printed);
                first = false;
            } catch (InvalidProtocolBufferException e) {
                // a detail type we do not know: leave it out rather than fail the whole answer
            }
        }
        return out.append("]}").toString();
    }

    /**
     * The message of a status this service did not produce itself (a malformed body, an unknown method): kept
     * when it is one of gRPC's own short descriptions, replaced when it could carry parser output or input.
     */
    private static String publicMessage(Status status) {
        return switch (status.getCode()) {
            case INVALID_ARGUMENT -> "invalid request: the body is not a valid JSON message of this method";
            case UNIMPLEMENTED -> "method not implemented";
            case RESOURCE_EXHAUSTED -> "request too large";
            case UNAUTHENTICATED -> "Token is missing or invalid";
            case UNAVAILABLE -> "The service is temporarily unavailable";
            default ->
                status.getCode() == Status.Code.INTERNAL
                        ? "Internal error"
                        : status.getCode().name();
        };
    }

    private static com.google.rpc.Status decode(String detailsBin) {
        if (detailsBin == null || detailsBin.isEmpty()) {
            return null;
        }
        try {
            return com.google.rpc.Status.parseFrom(Base64.getDecoder().decode(detailsBin));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
