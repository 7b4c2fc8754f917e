package dev.admit.api.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.Descriptors;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.admit.api.security.Caller;
import dev.admit.api.security.TokenVerifier;
import dev.admit.api.server.armeria.JsonRoutes;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Prepares requests to the JSON routes: the bearer token is checked first; a body must be exactly one JSON object
 * of valid UTF-8 without unpaired surrogates (the transcoder's own parser would ignore trailing data and replace
 * bad bytes); and a body sent without a JSON content type (as {@code curl -d} does) is read as JSON, like
 * ZITADEL's gateway does. The checked body then goes to {@link JsonRoutes}, which calls the endpoint with it; what
 * that does not take goes on to Armeria's transcoder. gRPC and binary protobuf requests pass untouched: the gRPC
 * layer checks those.
 */
public final class JsonRequests implements DecoratingHttpServiceFunction {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final TokenVerifier tokens;
    private final JsonRoutes routes;

    JsonRequests(TokenVerifier tokens, JsonRoutes routes) {
        this.tokens = tokens;
        this.routes = routes;
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        MediaType contentType = req.contentType();
        if (isBinary(contentType)) {
            return delegate.serve(ctx, req);
        }
        // the caller is checked first (behaviour.md: 401 before anything else), before the body is even read
        Caller caller = tokens.verifyAuthorization(req.headers().get(HttpHeaderNames.AUTHORIZATION))
                .orElse(null);
        if (caller == null) {
            return JsonStatusBodies.response(statusOf(WireErrors.unauthenticated()));
        }
        boolean userIdInPath = ctx.pathParam("user_id") != null;
        JsonRoutes.Rpc<?, ?> rpc = routes.rpcOf(ctx, req);
        if (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) {
            return rpc != null ? routes.serve(ctx, rpc, caller, null) : delegate.serve(ctx, req);
        }
        return HttpResponse.of(req.aggregate().thenApply(aggregated -> {
            String body = utf8(aggregated.content().array());
            if (body == null) {
                return invalid("invalid request: the body is not valid UTF-8");
            }
            JsonNode tree;
            try {
                tree = body.isBlank() ? null : STRICT.readTree(body);
            } catch (JsonProcessingException e) {
                return invalid("invalid request: the body is not valid JSON");
            }
            String problem = problemWith(tree, inputTypeOf(ctx.path()));
            if (problem != null) {
                return invalid(problem);
            }
            boolean userIdDropped = userIdInPath && dropUserId(tree);
            if (rpc != null) {
                return routes.serve(ctx, rpc, caller, tree);
            }
            HttpRequest json = asJson(aggregated, contentType, userIdDropped ? text(tree) : null);
            ctx.updateRequest(json);
            try {
                return delegate.serve(ctx, json);
            } catch (Exception e) {
                return HttpResponse.ofFailure(e);
            }
        }));
    }

    /**
     * Why a parsed body is not one JSON object of plain Unicode text with fields of the right types, or
     * {@code null} if it is. An empty body ({@code null} tree) stands for an empty message.
     */
    static String problemWith(JsonNode tree, Descriptors.Descriptor inputType) {
        if (tree == null || tree.isMissingNode()) {
            return null;
        }
        if (!tree.isObject()) {
            return "invalid request: the body must be a JSON object";
        }
        if (hasUnpairedSurrogate(tree)) {
            return "invalid request: the body holds an unpaired surrogate";
        }
        String mistyped = inputType == null ? null : mistypedField(tree, inputType, "");
        return mistyped == null ? null : "invalid request: " + mistyped + " has the wrong type";
    }

    /** The request message of a JSON route, for type checks (ZITADEL's gateway refuses a number for a string). */
    private static Descriptors.Descriptor inputTypeOf(String path) {
        if (path.equals("/v2/users/human")) {
            return dev.admit.wire.user.v2.AddHumanUserRequest.getDescriptor();
        }
        if (path.endsWith("/invite_code")) {
            return dev.admit.wire.user.v2.CreateInviteCodeRequest.getDescriptor();
        }
        if (path.endsWith("/invite_code/verify")) {
            return dev.admit.wire.user.v2.VerifyInviteCodeRequest.getDescriptor();
        }
        if (path.endsWith("/password")) {
            return dev.admit.wire.user.v2.SetPasswordRequest.getDescriptor();
        }
        if (path.endsWith("/password_reset")) {
            return dev.admit.wire.user.v2.PasswordResetRequest.getDescriptor();
        }
        return null;
    }

    /** The first field whose JSON value cannot be of the field's type, or {@code null}; unknown fields pass. */
    private static String mistypedField(JsonNode object, Descriptors.Descriptor type, String prefix) {
        for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            java.util.Map.Entry<String, JsonNode> entry = fields.next();
            Descriptors.FieldDescriptor field = fieldNamed(type, entry.getKey());
            JsonNode value = entry.getValue();
            if (field == null || value.isNull()) {
                continue;
            }
            String name = prefix + field.getName();
            if (field.isRepeated()) {
                if (!value.isArray()) {
                    return name;
                }
                for (JsonNode element : value) {
                    String problem = mistypedValue(field, element, name);
                    if (problem != null) {
                        return problem;
                    }
                }
            } else {
                String problem = mistypedValue(field, value, name);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static String mistypedValue(Descriptors.FieldDescriptor field, JsonNode value, String name) {
        boolean fits = switch (field.getJavaType()) {
            case STRING, BYTE_STRING -> value.isTextual();
            case BOOLEAN -> value.isBoolean();
            case ENUM -> value.isTextual() || value.isIntegralNumber();
            case INT, LONG -> value.isIntegralNumber() || value.isTextual();
            case FLOAT, DOUBLE -> value.isNumber() || value.isTextual();
            case MESSAGE ->
                field.getMessageType().getFullName().startsWith("google.protobuf.")
                        ? !value.isContainerNode() || value.isObject()
                        : value.isObject();
        };
        if (!fits) {
            return name;
        }
        if (field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE
                && !field.getMessageType().getFullName().startsWith("google.protobuf.")) {
            return mistypedField(value, field.getMessageType(), name + ".");
        }
        return null;
    }

    /** Each message type's fields by proto name and by JSON name, built once per type. */
    private static final java.util.Map<Descriptors.Descriptor, java.util.Map<String, Descriptors.FieldDescriptor>>
            FIELDS_BY_NAME = new java.util.concurrent.ConcurrentHashMap<>();

    private static Descriptors.FieldDescriptor fieldNamed(Descriptors.Descriptor type, String name) {
        return FIELDS_BY_NAME.computeIfAbsent(type, JsonRequests::fieldsByName).get(name);
    }

    /** A proto name first, then the first field of that JSON name (names could clash in a hand-written proto). */
    private static java.util.Map<String, Descriptors.FieldDescriptor> fieldsByName(Descriptors.Descriptor type) {
        java.util.Map<String, Descriptors.FieldDescriptor> byName = new java.util.HashMap<>();
        for (Descriptors.FieldDescriptor field : type.getFields()) {
            byName.putIfAbsent(field.getJsonName(), field);
        }
        for (Descriptors.FieldDescriptor field : type.getFields()) {
            byName.put(field.getName(), field);
        }
        return java.util.Map.copyOf(byName);
    }

    private static boolean hasUnpairedSurrogate(JsonNode node) {
        if (node.isTextual()) {
            return unpaired(node.textValue());
        }
        for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            java.util.Map.Entry<String, JsonNode> field = fields.next();
            if (unpaired(field.getKey()) || hasUnpairedSurrogate(field.getValue())) {
                return true;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (hasUnpairedSurrogate(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean unpaired(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static HttpResponse invalid(String message) {
        return JsonStatusBodies.response(com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.INVALID_ARGUMENT.value())
                .setMessage(message)
                .build());
    }

    private static com.google.rpc.Status statusOf(WireErrors.Failure failure) {
        com.google.rpc.Status status =
                io.grpc.protobuf.StatusProto.fromStatusAndTrailers(failure.status(), failure.trailers());
        return status;
    }

    private static HttpRequest asJson(AggregatedHttpRequest aggregated, MediaType contentType, String newBody) {
        RequestHeaders headers = aggregated.headers();
        if (contentType == null || !contentType.isJson()) {
            headers = headers.toBuilder().contentType(MediaType.JSON_UTF_8).build();
        }
        if (newBody == null) {
            return HttpRequest.of(headers, aggregated.content(), aggregated.trailers());
        }
        headers = headers.toBuilder()
                .removeAndThen(HttpHeaderNames.CONTENT_LENGTH)
                .build();
        return HttpRequest.of(headers, com.linecorp.armeria.common.HttpData.ofUtf8(newBody), aggregated.trailers());
    }

    /** Drops the body's own user id, if it has one: the one in the path decides (behaviour.md §6). */
    private static boolean dropUserId(JsonNode tree) {
        if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object
                && (object.has("user_id") || object.has("userId"))) {
            object.remove("user_id");
            object.remove("userId");
            return true;
        }
        return false;
    }

    private static String text(JsonNode tree) {
        try {
            return STRICT.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** gRPC, gRPC-web and binary protobuf: checked by the gRPC layer, not here. */
    static boolean isBinary(MediaType contentType) {
        return contentType != null
                && (contentType.subtype().startsWith("grpc")
                        || contentType.subtype().contains("protobuf"));
    }

    /** The body as text, or {@code null} if it is not valid UTF-8 (decoded once, strictly). */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
