package dev.admit.api.config;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.common.util.BlockingTaskExecutor;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.cors.CorsServiceBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import dev.admit.api.security.AccessPolicy;
import dev.admit.api.security.AdminToken;
import dev.admit.api.security.AuthenticationInterceptor;
import dev.admit.api.security.ScopeAccessPolicy;
import dev.admit.api.security.TokenVerifier;
import dev.admit.api.server.AdmitServer;
import dev.admit.api.server.AnswerJsonMarshaller;
import dev.admit.api.server.CoalescedFlushes;
import dev.admit.api.server.GrpcFailures;
import dev.admit.api.server.GrpcRequestGuard;
import dev.admit.api.server.JsonRequests;
import dev.admit.api.server.JsonStatusBodies;
import dev.admit.api.server.RoutingErrors;
import dev.admit.api.server.UnaryJsonExchanges;
import dev.admit.api.server.UserServiceEndpoint;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.projection.UserQueries;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The service on one port: {@code zitadel.user.v2.UserService} over gRPC (HTTP/2), gRPC-web (HTTP/1.1 and
 * HTTP/2) and the JSON routes of its {@code google.api.http} rules, plus gRPC health and reflection. Switched off
 * with {@code admit.server.enabled=false}.
 */
@AutoConfiguration(after = AdmitAutoConfiguration.class)
@ConditionalOnProperty(prefix = "admit.server", name = "enabled", havingValue = "true", matchIfMissing = true)
public class AdmitServerAutoConfiguration {

    /** The bearer-token check, and where the generated admin token lies when there is one. */
    public record Authentication(TokenVerifier verifier, Path adminTokenFile) {}

    /** Browsers may call the service (gRPC-web and JSON) from the allowed origins; "*" allows any. */
    private static java.util.function.Function<
                    ? super com.linecorp.armeria.server.HttpService, ? extends com.linecorp.armeria.server.HttpService>
            cors(java.util.List<String> origins) {
        CorsServiceBuilder builder = origins.isEmpty() || origins.contains("*")
                ? CorsService.builderForAnyOrigin()
                : CorsService.builder(origins);
        return builder.allowRequestMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS)
                .allowAllRequestHeaders(true)
                .exposeHeaders("grpc-status", "grpc-message", "grpc-status-details-bin")
                .maxAge(Duration.ofHours(1))
                .newDecorator();
    }

    @Bean
    @ConditionalOnMissingBean
    public AccessPolicy accessPolicy() {
        return new ScopeAccessPolicy();
    }

    @Bean
    public Authentication admitAuthentication(AdmitProperties properties, Clock clock) throws IOException {
        AdmitProperties.Jwt jwt = properties.security().jwt();
        if (jwt.jwkSetUri() != null && !jwt.jwkSetUri().isBlank()) {
            return new Authentication(
                    TokenVerifier.jwkSet(URI.create(jwt.jwkSetUri()), jwt.issuer(), jwt.audience()), null);
        }
        if (jwt.hmacSecret() != null && !jwt.hmacSecret().isBlank()) {
            return new Authentication(
                    TokenVerifier.hmac(jwt.hmacSecret().getBytes(StandardCharsets.UTF_8), jwt.issuer(), jwt.audience()),
                    null);
        }
        byte[] secret = AdminToken.loadOrCreateSecret(properties.dataDir(), new SecureRandom());
        Path tokenFile = AdminToken.writeAdminToken(properties.dataDir(), secret, clock);
        return new Authentication(TokenVerifier.hmac(secret, jwt.issuer(), jwt.audience()), tokenFile);
    }

    @Bean
    public UserServiceEndpoint userServiceEndpoint(
            CommandGateway commandGateway,
            UserQueries userQueries,
            UserIdGenerator userIdGenerator,
            AccessPolicy accessPolicy) {
        return new UserServiceEndpoint(commandGateway, userQueries, userIdGenerator, accessPolicy);
    }

    @Bean
    public AdmitServer admitServer(
            AdmitProperties properties, Authentication authentication, UserServiceEndpoint endpoint) {
        AdmitProperties.Server settings = properties.server();
        JsonStatusBodies jsonErrors = new JsonStatusBodies();
        GrpcService grpc = GrpcService.builder()
                .addService(endpoint)
                .addService(new HealthStatusManager().getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .intercept(new AuthenticationInterceptor(authentication.verifier()))
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
        Server server = Server.builder()
                .http(settings.port())
                .service(
                        grpc,
                        UnaryJsonExchanges::new,
                        delegate -> delegate.decorate(new JsonRequests(authentication.verifier())),
                        GrpcRequestGuard.decorator(endpoint.bindService(), settings.maxRequestBytes()))
                .maxRequestLength(settings.maxRequestBytes())
                .childChannelPipelineCustomizer(new CoalescedFlushes())
                .errorHandler(new RoutingErrors())
                .decorator(cors(settings.corsAllowedOrigins()))
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
                .unloggedExceptionsReportInterval(Duration.ZERO)
                .build();
        return new AdmitServer(server, authentication.adminTokenFile(), settings.shutdownTimeout());
    }
}
