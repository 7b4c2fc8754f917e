package dev.admit.api.server;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.grpc.protocol.GrpcHeaderNames;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.admit.api.security.TokenVerifier;
import dev.admit.wire.user.v2.UserServiceGrpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Checks binary calls of the user service before gRPC sees them: the frames must be well formed and hold exactly
 * one message of the method's request type, decodable as protobuf with valid UTF-8 strings. Anything else is the
 * client's error and is answered INVALID_ARGUMENT (too large: RESOURCE_EXHAUSTED; an unknown compression:
 * UNIMPLEMENTED) in gRPC's own form, or as a JSON status for unframed protobuf, instead of the INTERNAL that a
 * failing decoder would give. The service then parses the same bytes again, which costs microseconds. The bearer
 * token is checked first, as on the JSON routes: an anonymous caller learns nothing about how its body would fare.
 */
public final class GrpcRequestGuard implements DecoratingHttpServiceFunction {

    private static final String SERVICE_PREFIX = "/" + UserServiceGrpc.SERVICE_NAME + "/";
    private static final Metadata.Key<byte[]> STATUS_DETAILS =
            Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

    private final Map<String, MethodDescriptor.Marshaller<?>> requestParsers;
    private final int maxRequestBytes;
    private final TokenVerifier tokens;

    public GrpcRequestGuard(io.grpc.ServerServiceDefinition userService, int maxRequestBytes, TokenVerifier tokens) {
        this.tokens = tokens;
        this.requestParsers = userService.getMethods().stream()
                .map(ServerMethodDefinition::getMethodDescriptor)
                .collect(Collectors.toMap(
                        method -> "/" + method.getFullMethodName(), MethodDescriptor::getRequestMarshaller));
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        MediaType contentType = req.contentType();
        MethodDescriptor.Marshaller<?> parser = requestParsers.get(ctx.path());
        if (contentType == null || parser == null || !ctx.path().startsWith(SERVICE_PREFIX)) {
            return delegate.serve(ctx, req);
        }
        String subtype = contentType.subtype();
        boolean framed = subtype.startsWith("grpc");
        boolean unframedProtobuf = subtype.equals("protobuf") || subtype.equals("x-protobuf");
        if ((!framed && !unframedProtobuf) || subtype.contains("json")) {
            return delegate.serve(ctx, req);
        }
        if (!authenticated(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            WireErrors.Failure anonymous = WireErrors.unauthenticated();
            return framed ? grpcAnswer(contentType, anonymous) : jsonAnswer(anonymous);
        }
        return HttpResponse.of(req.aggregate().thenApply(aggregated -> {
            Status problem = framed
                    ? checkFrames(aggregated, subtype.startsWith("grpc-web-text"), parser)
                    : checkMessage(aggregated.content().array(), parser);
            if (problem != null) {
                return framed ? grpcAnswer(contentType, problem) : jsonAnswer(problem);
            }
            HttpRequest replay = HttpRequest.of(aggregated.headers(), aggregated.content(), aggregated.trailers());
            ctx.updateRequest(replay);
            try {
                return delegate.serve(ctx, replay);
            } catch (Exception e) {
                return HttpResponse.ofFailure(e);
            }
        }));
    }

    private Status checkFrames(AggregatedHttpRequest request, boolean base64, MethodDescriptor.Marshaller<?> parser) {
        byte[] body = request.content().array();
        if (base64) {
            try {
                body = Base64.getDecoder().decode(new String(body, java.nio.charset.StandardCharsets.US_ASCII).trim());
            } catch (IllegalArgumentException e) {
                return Status.INVALID_ARGUMENT.withDescription("invalid request: the body is not base64");
            }
        }
        String encoding = request.headers().get(GrpcHeaderNames.GRPC_ENCODING);
        ByteBuffer frames = ByteBuffer.wrap(body);
        int messages = 0;
        while (frames.hasRemaining()) {
            if (frames.remaining() < 5) {
                return Status.INVALID_ARGUMENT.withDescription("invalid request: truncated gRPC frame");
            }
            int flags = frames.get() & 0xFF;
            long length = frames.getInt() & 0xFFFFFFFFL;
            if (length > maxRequestBytes) {
                return Status.RESOURCE_EXHAUSTED.withDescription("request too large");
            }
            if ((flags & ~0x01) != 0) {
                return Status.INVALID_ARGUMENT.withDescription("invalid request: malformed gRPC frame");
            }
            if (length > frames.remaining()) {
                return Status.INVALID_ARGUMENT.withDescription("invalid request: truncated gRPC message");
            }
            byte[] message = new byte[(int) length];
            frames.get(message);
            if ((flags & 0x01) != 0) {
                if (encoding == null || encoding.equals("identity")) {
                    return Status.INVALID_ARGUMENT.withDescription(
                            "invalid request: compressed message without grpc-encoding");
                }
                if (!encoding.equals("gzip")) {
                    return Status.UNIMPLEMENTED.withDescription("unsupported message compression");
                }
                message = gunzip(message);
                if (message == null) {
                    return Status.INVALID_ARGUMENT.withDescription("invalid request: the message is not valid gzip");
                }
            }
            Status problem = checkMessage(message, parser);
            if (problem != null) {
                return problem;
            }
            messages++;
        }
        return messages == 1
                ? null
                : Status.INVALID_ARGUMENT.withDescription("invalid request: a call carries exactly one message");
    }

    private static Status checkMessage(byte[] message, MethodDescriptor.Marshaller<?> parser) {
        try (InputStream in = new ByteArrayInputStream(message)) {
            parser.parse(in);
            return null;
        } catch (RuntimeException | IOException e) {
            return Status.INVALID_ARGUMENT.withDescription(
                    "invalid request: not a valid protobuf message of this method");
        }
    }

    private byte[] gunzip(byte[] compressed) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            byte[] plain = in.readNBytes(maxRequestBytes + 1);
            return plain.length > maxRequestBytes ? null : plain;
        } catch (IOException e) {
            return null;
        }
    }

    /** gRPC's trailers-only answer: HTTP 200 with the status in the headers (gRPC-web reads them the same way). */
    private boolean authenticated(String authorization) {
        return tokens.verifyAuthorization(authorization).isPresent();
    }

    /** A failure with its details, as the service itself would answer it. */
    private static HttpResponse grpcAnswer(MediaType contentType, WireErrors.Failure failure) {
        Status status = failure.status();
        ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.OK)
                .contentType(contentType)
                .addInt(GrpcHeaderNames.GRPC_STATUS, status.getCode().value())
                .add(GrpcHeaderNames.GRPC_MESSAGE, status.getDescription());
        byte[] details = failure.trailers().get(STATUS_DETAILS);
        if (details != null) {
            headers.add(
                    STATUS_DETAILS.name(), Base64.getEncoder().withoutPadding().encodeToString(details));
        }
        return HttpResponse.of(headers.build());
    }

    private static HttpResponse jsonAnswer(WireErrors.Failure failure) {
        return JsonStatusBodies.response(StatusProto.fromStatusAndTrailers(failure.status(), failure.trailers()));
    }

    private static HttpResponse grpcAnswer(MediaType contentType, Status status) {
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                .contentType(contentType)
                .addInt(GrpcHeaderNames.GRPC_STATUS, status.getCode().value())
                .add(GrpcHeaderNames.GRPC_MESSAGE, status.getDescription())
                .build());
    }

    private static HttpResponse jsonAnswer(Status status) {
        return JsonStatusBodies.response(com.google.rpc.Status.newBuilder()
                .setCode(status.getCode().value())
                .setMessage(status.getDescription())
                .build());
    }

    public static Function<? super HttpService, ? extends HttpService> decorator(
            io.grpc.ServerServiceDefinition userService, int maxRequestBytes, TokenVerifier tokens) {
        GrpcRequestGuard guard = new GrpcRequestGuard(userService, maxRequestBytes, tokens);
        return delegate -> delegate.decorate(guard);
    }
}
