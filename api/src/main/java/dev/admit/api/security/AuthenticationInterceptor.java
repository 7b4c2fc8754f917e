package dev.admit.api.security;

import dev.admit.api.server.WireErrors;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Requires a valid bearer token on every call of the user service, whichever protocol carried it (gRPC, gRPC-web
 * and JSON all arrive here as gRPC calls), and makes the {@link Caller} available to the service. Reflection, where
 * switched on, needs a valid token too; only health stays open.
 */
public final class AuthenticationInterceptor implements ServerInterceptor {

    public static final Context.Key<Caller> CALLER = Context.key("admit-caller");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String OPEN_SERVICE = "grpc.health.v1.Health";

    private final TokenVerifier verifier;

    public AuthenticationInterceptor(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (OPEN_SERVICE.equals(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        Caller caller = verifier.verifyAuthorization(headers.get(AUTHORIZATION)).orElse(null);
        if (caller == null) {
            WireErrors.Failure failure = WireErrors.unauthenticated();
            call.close(failure.status(), failure.trailers());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
    }
}
