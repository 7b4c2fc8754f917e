package dev.admit.api.server.armeria;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import com.linecorp.armeria.common.grpc.protocol.GrpcHeaderNames;
import com.linecorp.armeria.server.RequestTimeoutException;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.admit.api.security.AuthenticationInterceptor;
import dev.admit.api.security.Caller;
import dev.admit.api.server.JsonStatusBodies;
import dev.admit.api.server.UserServiceEndpoint;
import dev.admit.api.server.WireErrors;
import dev.admit.wire.user.v2.UserServiceGrpc;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.curioswitch.common.protobuf.json.MessageMarshaller;

/**
 * Serves the JSON routes of the user service (its {@code google.api.http} rules) by calling the endpoint's method
 * directly, with the body {@code JsonRequests} has already parsed and checked. It takes the place, for these
 * requests, of Armeria's {@code HttpJsonTranscodingService} (checked on Armeria 1.36.0), which wrote the checked
 * body back to text, parsed it again and made an in-process gRPC call of it; the answers are the same bytes: the
 * request message is read the way the transcoder's default marshaller reads it, success carries the transcoder's
 * headers, and failures are written by {@link JsonStatusBodies} as before. A request with a query string or a
 * {@code grpc-*} header, or on a method other than GET and POST, still goes the transcoder's way.
 */
public final class JsonRoutes {

    /** {@code {field}} in a route's path; a nested field or a pattern ({@code {a.b}}, {@code {name=x/*}}) is not. */
    private static final Pattern PATH_FIELD = Pattern.compile("\\{([a-z_][a-z0-9_]*)}");

    private static final Pattern ANY_PATH_VARIABLE = Pattern.compile("\\{[^}]*}");

    /** The transcoded answer's headers, as the in-process gRPC call left them. */
    private static final ResponseHeaders SUCCESS = ResponseHeaders.builder(HttpStatus.OK)
            .add(GrpcHeaderNames.GRPC_ENCODING, "identity")
            .add(GrpcHeaderNames.GRPC_ACCEPT_ENCODING, "gzip")
            .add(GrpcHeaderNames.GRPC_STATUS, "0")
            .contentType(MediaType.JSON_UTF_8)
            .build();

    private static final Metadata.Key<byte[]> STATUS_DETAILS =
            Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

    /** A path variable of a route: Armeria's path parameter and the JSON name of the field it fills. */
    private record PathField(String parameter, String jsonName) {}

    /** One RPC with a JSON route. */
    public record Rpc<Q extends Message, R extends Message>(
            MethodDescriptor<Q, R> method,
            HttpMethod httpMethod,
            boolean bodyIsMessage,
            List<PathField> pathFields,
            Q prototype,
            BiConsumer<Q, StreamObserver<R>> call) {}

    private final GrpcService grpc;
    private final Map<String, Rpc<?, ?>> rpcs = new HashMap<>();
    private final MessageMarshaller requests;
    private final AnswerJsonMarshaller answers;

    public JsonRoutes(UserServiceEndpoint endpoint, GrpcService grpc) {
        this.grpc = grpc;
        add(UserServiceGrpc.getAddHumanUserMethod(), endpoint::addHumanUser);
        add(UserServiceGrpc.getGetUserByIDMethod(), endpoint::getUserByID);
        add(UserServiceGrpc.getSetPasswordMethod(), endpoint::setPassword);
        add(UserServiceGrpc.getListAuthenticationMethodTypesMethod(), endpoint::listAuthenticationMethodTypes);
        add(UserServiceGrpc.getPasswordResetMethod(), endpoint::passwordReset);
        add(UserServiceGrpc.getCreateInviteCodeMethod(), endpoint::createInviteCode);
        add(UserServiceGrpc.getResendInviteCodeMethod(), endpoint::resendInviteCode);
        add(UserServiceGrpc.getVerifyInviteCodeMethod(), endpoint::verifyInviteCode);
        // the settings of Armeria's default JSON marshaller (GrpcJsonUtil.jsonMarshaller, Armeria 1.36.0)
        MessageMarshaller.Builder reader = MessageMarshaller.builder()
                .omittingInsignificantWhitespace(true)
                .ignoringUnknownFields(true);
        rpcs.values().forEach(rpc -> reader.register(rpc.prototype()));
        this.requests = reader.build();
        this.answers = new AnswerJsonMarshaller(GrpcJsonMarshaller.of(UserServiceGrpc.getServiceDescriptor()));
    }

    @SuppressWarnings("unchecked")
    private <Q extends Message, R extends Message> void add(
            MethodDescriptor<Q, R> method, BiConsumer<Q, StreamObserver<R>> call) {
        if (!(method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier schema)) {
            return;
        }
        HttpRule rule = schema.getMethodDescriptor().getOptions().getExtension(AnnotationsProto.http);
        HttpMethod httpMethod = switch (rule.getPatternCase()) {
            case GET -> HttpMethod.GET;
            case POST -> HttpMethod.POST;
            default -> null;
        };
        if (httpMethod == null || rule.getAdditionalBindingsCount() > 0) {
            return;
        }
        String path = httpMethod == HttpMethod.GET ? rule.getGet() : rule.getPost();
        List<PathField> pathFields = new ArrayList<>();
        Matcher variable = ANY_PATH_VARIABLE.matcher(path);
        while (variable.find()) {
            Matcher plain = PATH_FIELD.matcher(variable.group());
            var field = plain.matches()
                    ? schema.getMethodDescriptor().getInputType().findFieldByName(plain.group(1))
                    : null;
            if (field == null
                    || field.isRepeated()
                    || field.getJavaType() != com.google.protobuf.Descriptors.FieldDescriptor.JavaType.STRING) {
                return;
            }
            pathFields.add(new PathField(field.getName(), field.getJsonName()));
        }
        Q prototype =
                (Q) ((MethodDescriptor.PrototypeMarshaller<Q>) method.getRequestMarshaller()).getMessagePrototype();
        rpcs.put(
                method.getFullMethodName(),
                new Rpc<>(method, httpMethod, "*".equals(rule.getBody()), List.copyOf(pathFields), prototype, call));
    }

    /** The RPC this class answers the request with, or {@code null} when the transcoder keeps it. */
    public Rpc<?, ?> rpcOf(ServiceRequestContext ctx, HttpRequest req) {
        if (ctx.query() != null) {
            return null;
        }
        for (var header : req.headers()) {
            if (header.getKey().toString().startsWith("grpc-")) {
                return null;
            }
        }
        ServerMethodDefinition<?, ?> definition = grpc.methodDefinition(ctx);
        if (definition == null) {
            return null;
        }
        MethodDescriptor<?, ?> method = definition.getMethodDescriptor();
        if (ctx.path().startsWith("/" + method.getServiceName() + "/")) {
            return null; // the gRPC path itself, called with JSON: unframed gRPC, not a route
        }
        Rpc<?, ?> rpc = rpcs.get(method.getFullMethodName());
        return rpc != null && rpc.httpMethod().equals(req.method()) ? rpc : null;
    }

    /**
     * Answers a request to one of the routes: the request message from the body (when the route takes one) and the
     * path, the RPC run on a call thread as {@code caller}.
     *
     * @param body the request's body, already checked; {@code null} when it was empty or is not read
     */
    public <Q extends Message, R extends Message> HttpResponse serve(
            ServiceRequestContext ctx, Rpc<Q, R> rpc, Caller caller, JsonNode body) {
        ctx.logBuilder().name(rpc.method().getServiceName(), rpc.method().getBareMethodName());
        ObjectNode fields = rpc.bodyIsMessage() && body instanceof ObjectNode object
                ? object
                : JsonNodeFactory.instance.objectNode();
        for (PathField path : rpc.pathFields()) {
            fields.put(path.jsonName(), ctx.pathParam(path.parameter()));
        }
        Q request;
        try (JsonParser parser = fields.traverse()) {
            Message.Builder builder = rpc.prototype().newBuilderForType();
            requests.mergeValue(parser, builder);
            @SuppressWarnings("unchecked")
            Q built = (Q) builder.build();
            request = built;
        } catch (IOException | RuntimeException e) {
            return failure(Status.INVALID_ARGUMENT, null);
        }
        CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
        ctx.whenRequestCancelling()
                .thenAccept(cause -> answer.complete(failure(
                        cause instanceof RequestTimeoutException ? Status.DEADLINE_EXCEEDED : Status.CANCELLED, null)));
        Context call = Context.current().withValue(AuthenticationInterceptor.CALLER, caller);
        try {
            ctx.blockingTaskExecutor()
                    .execute(() -> call.run(() -> {
                        try {
                            rpc.call().accept(request, observer(rpc, answer));
                        } catch (RuntimeException | Error escaped) {
                            // the endpoint answers its own failures; anything else still gets an answer, never a hang
                            WireErrors.Failure failure = WireErrors.from(escaped);
                            answer.complete(failure(failure.status(), failure.trailers()));
                        }
                    }));
        } catch (RuntimeException rejected) {
            WireErrors.Failure failure = WireErrors.from(rejected);
            return failure(failure.status(), failure.trailers());
        }
        return HttpResponse.of(answer);
    }

    private <R extends Message> StreamObserver<R> observer(Rpc<?, R> rpc, CompletableFuture<HttpResponse> answer) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R value) {
                answer.complete(success(rpc, value));
            }

            @Override
            public void onError(Throwable failure) {
                answer.complete(failure(Status.fromThrowable(failure), Status.trailersFromThrowable(failure)));
            }

            @Override
            public void onCompleted() {}
        };
    }

    private <R extends Message> HttpResponse success(Rpc<?, R> rpc, R value) {
        ByteArrayOutputStream json = new ByteArrayOutputStream(256);
        try {
            answers.serializeMessage(rpc.method().getResponseMarshaller(), value, json);
        } catch (IOException e) {
            WireErrors.Failure failure = WireErrors.from(e);
            return failure(failure.status(), failure.trailers());
        }
        return HttpResponse.of(SUCCESS, HttpData.wrap(json.toByteArray()));
    }

    /** A failed call's JSON status, with the details the status carries in its trailers. */
    private static HttpResponse failure(Status status, Metadata trailers) {
        byte[] details = trailers == null ? null : trailers.get(STATUS_DETAILS);
        com.google.rpc.Status carried = null;
        if (details != null) {
            try {
                carried = com.google.rpc.Status.parseFrom(details);
            } catch (InvalidProtocolBufferException e) {
                carried = null;
            }
        }
        return JsonStatusBodies.response(JsonStatusBodies.statusOf(status, carried));
    }
}
