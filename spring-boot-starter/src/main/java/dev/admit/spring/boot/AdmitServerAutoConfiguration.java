package dev.admit.spring.boot;

import dev.admit.api.security.AccessPolicy;
import dev.admit.api.security.AdminToken;
import dev.admit.api.security.ScopeAccessPolicy;
import dev.admit.api.security.TokenVerifier;
import dev.admit.api.server.AdmitServer;
import dev.admit.api.server.AdmitServers;
import dev.admit.api.server.UserServiceEndpoint;
import dev.admit.core.api.Admit;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The service on one port: {@code zitadel.user.v2.UserService} over gRPC (HTTP/2), gRPC-web (HTTP/1.1 and
 * HTTP/2) and the JSON routes of its {@code google.api.http} rules, plus gRPC health and reflection. It exists
 * where {@code admit-api} is on the classpath, unless {@code admit.server.enabled=false}, and never binds the host's
 * own web port.
 */
@AutoConfiguration(after = AdmitAutoConfiguration.class)
@ConditionalOnClass(name = "dev.admit.api.server.AdmitServer")
@ConditionalOnProperty(prefix = "admit.server", name = "enabled", havingValue = "true", matchIfMissing = true)
public class AdmitServerAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdmitServerAutoConfiguration.class);

    /** The bearer-token check, and where the generated admin token lies when there is one. */
    public record Authentication(TokenVerifier verifier, Path adminTokenFile) {}

    /** Two servers on one port: the second would fail to bind, later and with a less clear message. */
    private static void refuseHostWebPort(int port, Environment environment) {
        if (port == 0) {
            return;
        }
        boolean hostServes = !"none".equalsIgnoreCase(environment.getProperty("spring.main.web-application-type", ""))
                && (environment.containsProperty("server.port")
                        || ClassUtils.isPresent("org.apache.catalina.startup.Tomcat", null)
                        || ClassUtils.isPresent("org.eclipse.jetty.server.Server", null)
                        || ClassUtils.isPresent("io.undertow.Undertow", null)
                        || ClassUtils.isPresent("reactor.netty.http.server.HttpServer", null));
        int hostPort = environment.getProperty("server.port", Integer.class, 8080);
        if (hostServes && hostPort == port) {
            throw new IllegalStateException("admit.server.port is " + port
                    + ", the application's own web port (server.port): give Admit's API server another port");
        }
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
            if (!jwt.requireIssuerAndAudience()) {
                log.warn("admit.security.jwt.require-issuer-and-audience=false: any token the JWK set's keys sign is "
                        + "accepted, ID tokens and tokens issued to other clients included");
            }
            return new Authentication(
                    TokenVerifier.jwkSet(
                            URI.create(jwt.jwkSetUri()),
                            jwt.issuer(),
                            jwt.audience(),
                            jwt.acceptedTypes(),
                            jwt.requireIssuerAndAudience()),
                    null);
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
    public UserServiceEndpoint userServiceEndpoint(Admit admit, AccessPolicy accessPolicy) {
        return new UserServiceEndpoint(admit, accessPolicy);
    }

    @Bean
    public AdmitServer admitServer(
            AdmitProperties properties,
            Authentication authentication,
            UserServiceEndpoint endpoint,
            Environment environment,
            ObjectProvider<MeterRegistry> meters) {
        AdmitProperties.Server settings = properties.server();
        refuseHostWebPort(settings.port(), environment);
        return AdmitServers.create(
                new AdmitServers.Settings(
                        settings.port(),
                        settings.maxRequestBytes(),
                        settings.shutdownTimeout(),
                        settings.rpcThreads(),
                        settings.corsAllowedOrigins(),
                        settings.reflection()),
                authentication.verifier(),
                endpoint,
                authentication.adminTokenFile(),
                meters.getIfUnique());
    }
}
