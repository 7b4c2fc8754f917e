package dev.admit.api.server;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Prepares requests to the JSON routes: a body that is not valid UTF-8 is refused with 400 before it reaches a
 * parser that would quietly replace the bad bytes, and a body sent without a JSON content type (as {@code curl -d}
 * does) is read as JSON, like ZITADEL's gateway does. gRPC and binary protobuf requests pass untouched.
 */
public final class JsonRequests implements DecoratingHttpServiceFunction {

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        MediaType contentType = req.contentType();
        if (isBinary(contentType) || req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) {
            return delegate.serve(ctx, req);
        }
        return HttpResponse.of(req.aggregate().thenApply(aggregated -> {
            if (!isUtf8(aggregated.content().array())) {
                return JsonStatusBodies.response(com.google.rpc.Status.newBuilder()
                        .setCode(Status.Code.INVALID_ARGUMENT.value())
                        .setMessage("invalid request: the body is not valid UTF-8")
                        .build());
            }
            HttpRequest json = asJson(aggregated, contentType);
            ctx.updateRequest(json);
            try {
                return delegate.serve(ctx, json);
            } catch (Exception e) {
                return HttpResponse.ofFailure(e);
            }
        }));
    }

    private static HttpRequest asJson(AggregatedHttpRequest aggregated, MediaType contentType) {
        RequestHeaders headers = aggregated.headers();
        if (contentType == null || !contentType.isJson()) {
            headers = headers.toBuilder().contentType(MediaType.JSON_UTF_8).build();
        }
        return HttpRequest.of(headers, aggregated.content(), aggregated.trailers());
    }

    private static boolean isBinary(MediaType contentType) {
        return contentType != null
                && (contentType.subtype().startsWith("grpc")
                        || contentType.subtype().contains("protobuf"));
    }

    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
