package dev.admit.api.server;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.common.logging.RequestOnlyLog;
import com.linecorp.armeria.common.metric.MeterIdPrefixFunction;
import com.linecorp.armeria.common.util.BlockingTaskExecutor;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.cors.CorsServiceBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import com.linecorp.armeria.server.metric.MetricCollectingService;
import dev.admit.api.security.AuthenticationInterceptor;
import dev.admit.api.security.TokenVerifier;
import dev.admit.api.server.armeria.AnswerJsonMarshaller;
import dev.admit.api.server.armeria.JsonRoutes;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Builds the service on one port: {@code zitadel.user.v2.UserService} over gRPC (HTTP/2), gRPC-web (HTTP/1.1 and
 * HTTP/2) and the JSON routes of its {@code google.api.http} rules, plus gRPC health, and reflection and CORS where
 * switched on.
 */
public final class AdmitServers {

    /**
     * How the server listens.
     *
     * @param port 0 picks a free port
     * @param maxRequestBytes larger requests are refused (JSON: 400, gRPC: RESOURCE_EXHAUSTED)
     * @param shutdownTimeout how long in-flight calls may finish when the server stops
     * @param rpcThreads threads that run calls (they block on the database)
     * @param corsAllowedOrigins origins browsers may call from ({@code *}: any; none: no CORS)
     * @param reflection whether gRPC server reflection is served (to callers with a valid token)
     */
    public record Settings(
            int port,
            int maxRequestBytes,
            Duration shutdownTimeout,
            int rpcThreads,
            List<String> corsAllowedOrigins,
            boolean reflection) {}

    private AdmitServers() {}

    /**
     * @param adminTokenFile where the generated admin token lies, to say so once the server listens; null if none
     */
    public static AdmitServer create(
            Settings settings, TokenVerifier verifier, UserServiceEndpoint endpoint, Path adminTokenFile) {
        return create(settings, verifier, endpoint, adminTokenFile, null);
    }

    /**
     * The server, recording every request's latency in {@code meters} (when given) under {@code admit.server.*}, by
     * RPC method and protocol ({@code grpc}, {@code grpc-web}, {@code json}).
     */
    public static AdmitServer create(
            Settings settings,
            TokenVerifier verifier,
            UserServiceEndpoint endpoint,
            Path adminTokenFile,
            MeterRegistry meters) {
        JsonStatusBodies jsonErrors = new JsonStatusBodies();
        GrpcServiceBuilder services =
                GrpcService.builder().addService(endpoint).addService(new HealthStatusManager().getHealthService());
        if (settings.reflection()) {
            services.addService(ProtoReflectionServiceV1.newInstance());
        }
        GrpcService grpc = services.intercept(new AuthenticationInterceptor(verifier))
                .supportedSerializationFormats(GrpcSerializationFormats.values())
                .enableUnframedRequests(true)
                .jsonMarshallerFactory(AnswerJsonMarshaller.factory())
                .unframedGrpcErrorHandler(jsonErrors)
                .enableHttpJsonTranscoding(HttpJsonTranscodingOptions.builder()
                        .errorHandler(jsonErrors)
                        .build())
                .useBlockingTaskExecutor(true)
                .exceptionHandler(new GrpcFailures())
                .maxRequestMessageLength(settings.maxRequestBytes())
                .build();
        ServerBuilder server = Server.builder()
                .http(settings.port())
                .service(
                        grpc,
                        UnaryJsonExchanges::new,
                        delegate -> delegate.decorate(new JsonRequests(verifier, new JsonRoutes(endpoint, grpc))),
                        GrpcRequestGuard.decorator(endpoint.bindService(), settings.maxRequestBytes(), verifier))
                .maxRequestLength(settings.maxRequestBytes())
                .childChannelPipelineCustomizer(new CoalescedFlushes())
                .errorHandler(new RoutingErrors(verifier))
                .gracefulShutdownTimeout(Duration.ofMillis(200), settings.shutdownTimeout())
                .workerGroup(
                        EventLoopGroups.newEventLoopGroup(Runtime.getRuntime().availableProcessors() * 2), true)
                .blockingTaskExecutor(
                        BlockingTaskExecutor.builder()
                                .threadNamePrefix("admit-rpc")
                                .numThreads(settings.rpcThreads())
                                .build(),
                        true)
                // failures are answered and logged by Admit without stack traces
                .unloggedExceptionsReportInterval(Duration.ZERO);
        if (meters != null) {
            server.meterRegistry(meters);
            server.decorator(MetricCollectingService.newDecorator(MeterIdPrefixFunction.ofDefault("admit.server")
                    .andThen((registry, log, id) -> id.withTags("protocol", protocolOf(log)))));
        }
        if (!settings.corsAllowedOrigins().isEmpty()) {
            server.decorator(cors(settings.corsAllowedOrigins()));
        }
        return new AdmitServer(server.build(), adminTokenFile, settings.shutdownTimeout());
    }

    /**
     * The wire protocol of a request, from its content type: {@code application/grpc-web*} is gRPC-web, {@code
     * application/grpc*} gRPC, anything else one of the JSON routes (which Armeria serves through gRPC inside, so its
     * serialization format does not tell).
     */
    static String protocolOf(RequestOnlyLog log) {
        MediaType type = log.requestHeaders().contentType();
        String subtype = type == null ? "" : type.subtype();
        if (type != null && "application".equals(type.type()) && subtype.startsWith("grpc-web")) {
            return "grpc-web";
        }
        if (type != null && "application".equals(type.type()) && subtype.startsWith("grpc")) {
            return "grpc";
        }
        return "json";
    }

    /** Browsers may call the service (gRPC-web and JSON) from the allowed origins; "*" allows any. */
    private static Function<? super HttpService, ? extends HttpService> cors(List<String> origins) {
        CorsServiceBuilder builder =
                origins.contains("*") ? CorsService.builderForAnyOrigin() : CorsService.builder(origins);
        return builder.allowRequestMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS)
                .allowAllRequestHeaders(true)
                .exposeHeaders("grpc-status", "grpc-message", "grpc-status-details-bin")
                .maxAge(Duration.ofHours(1))
                .newDecorator();
    }
}
