package dev.admit.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.admit.api.security.AdminToken;
import dev.admit.api.security.Caller;
import dev.admit.api.security.TokenVerifier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bearer tokens signed with RS256 or ES256 keys published at a JWK set URI, served over real HTTP. */
class JwkSetTokensTest {

    private static final String ISSUER = "https://issuer.example";
    private static final String AUDIENCE = "admit";

    private static HttpServer jwks;
    private static RSAKey rsa;
    private static ECKey ec;
    private static TokenVerifier verifier;

    @BeforeAll
    static void publishKeys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        byte[] body = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK()))
                .toString()
                .getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/keys", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        URI uri = URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/keys");
        verifier = TokenVerifier.jwkSet(uri, ISSUER, AUDIENCE);
    }

    @AfterAll
    static void stop() {
        jwks.stop(0);
    }

    private static String token(
            JWSSigner signer,
            JWSAlgorithm algorithm,
            String keyId,
            String issuer,
            String audience,
            long expiresInSeconds)
            throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(algorithm)
                        .keyID(keyId)
                        .type(new JOSEObjectType("at+jwt"))
                        .build(),
                new JWTClaimsSet.Builder()
                        .subject("caller-1")
                        .issuer(issuer)
                        .audience(audience)
                        .claim("scope", "user.read user.write")
                        .claim("org_id", "org-7")
                        .expirationTime(new Date(System.currentTimeMillis() + expiresInSeconds * 1000))
                        .build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** An RS256 token with the given typ (null: none) and claims over a valid base. */
    private static String rs256(JOSEObjectType type, java.util.function.UnaryOperator<JWTClaimsSet.Builder> claims)
            throws Exception {
        JWTClaimsSet.Builder base = new JWTClaimsSet.Builder()
                .subject("caller-1")
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .claim("scope", "user.read")
                .expirationTime(new Date(System.currentTimeMillis() + 300_000));
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID("rsa-1")
                        .type(type)
                        .build(),
                claims.apply(base).build());
        jwt.sign(new RSASSASigner(rsa));
        return jwt.serialize();
    }

    @Test
    void a_valid_access_token_passes_the_checks_the_following_tests_break_one_by_one() throws Exception {
        assertThat(verifier.verify(rs256(new JOSEObjectType("at+jwt"), claims -> claims)))
                .isPresent();
        assertThat(verifier.verify(rs256(null, claims -> claims)))
                .as("no typ at all")
                .isPresent();
    }

    @Test
    void a_token_not_valid_before_a_time_still_to_come_is_refused() throws Exception {
        assertThat(verifier.verify(rs256(
                        new JOSEObjectType("at+jwt"),
                        claims -> claims.notBeforeTime(new Date(System.currentTimeMillis() + 600_000)))))
                .isEmpty();
    }

    @Test
    void a_token_typed_as_anything_but_an_access_token_is_refused() throws Exception {
        assertThat(verifier.verify(rs256(JOSEObjectType.JWT, claims -> claims)))
                .as("typ JWT, as ID tokens")
                .isEmpty();
        assertThat(verifier.verify(rs256(new JOSEObjectType("logout+jwt"), claims -> claims)))
                .isEmpty();
    }

    @Test
    void an_empty_or_non_string_org_id_fails_closed() throws Exception {
        assertThat(verifier.verify(rs256(new JOSEObjectType("at+jwt"), claims -> claims.claim("org_id", ""))))
                .as("an empty org_id is not 'every organization'")
                .isEmpty();
        assertThat(verifier.verify(rs256(new JOSEObjectType("at+jwt"), claims -> claims.claim("org_id", 42))))
                .isEmpty();
        assertThat(verifier.verify(
                        rs256(new JOSEObjectType("at+jwt"), claims -> claims.claim("org_id", List.of("a", "b")))))
                .isEmpty();
    }

    @Test
    void a_token_without_issuer_or_audience_claims_is_refused() throws Exception {
        assertThat(verifier.verify(rs256(new JOSEObjectType("at+jwt"), claims -> claims.issuer(null))))
                .isEmpty();
        assertThat(verifier.verify(rs256(new JOSEObjectType("at+jwt"), claims -> claims.audience((String) null))))
                .isEmpty();
    }

    @Test
    void a_jwk_set_needs_issuer_and_audience_unless_explicitly_told_otherwise() {
        URI uri = URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/keys");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenVerifier.jwkSet(uri, null, AUDIENCE))
                .hasMessageContaining("admit.security.jwt.issuer");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenVerifier.jwkSet(uri, ISSUER, " "))
                .hasMessageContaining("admit.security.jwt.audience");
        org.assertj.core.api.Assertions.assertThatCode(
                        () -> TokenVerifier.jwkSet(uri, null, null, TokenVerifier.ACCESS_TOKEN_TYPES, false))
                .doesNotThrowAnyException();
    }

    @Test
    void a_jwk_set_over_plain_http_is_accepted_on_loopback_only() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> TokenVerifier.jwkSet(URI.create("http://idp.example/keys"), ISSUER, AUDIENCE))
                .hasMessageContaining("https");
        org.assertj.core.api.Assertions.assertThatCode(
                        () -> TokenVerifier.jwkSet(URI.create("https://idp.example/keys"), ISSUER, AUDIENCE))
                .doesNotThrowAnyException();
        org.assertj.core.api.Assertions.assertThatCode(
                        () -> TokenVerifier.jwkSet(URI.create("http://localhost:1/keys"), ISSUER, AUDIENCE))
                .doesNotThrowAnyException();
    }

    @Test
    void an_rs256_token_signed_with_a_published_key_identifies_its_caller() throws Exception {
        Optional<Caller> caller =
                verifier.verify(token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", ISSUER, AUDIENCE, 300));
        assertThat(caller).hasValueSatisfying(c -> {
            assertThat(c.subject()).isEqualTo("caller-1");
            assertThat(c.scopes()).containsExactlyInAnyOrder("user.read", "user.write");
            assertThat(c.organization())
                    .hasValueSatisfying(org -> assertThat(org.value()).isEqualTo("org-7"));
        });
    }

    @Test
    void an_es256_token_signed_with_a_published_key_is_accepted() throws Exception {
        assertThat(verifier.verify(token(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1", ISSUER, AUDIENCE, 300)))
                .isPresent();
    }

    @Test
    void a_token_signed_with_an_unpublished_key_is_refused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        assertThat(verifier.verify(
                        token(new RSASSASigner(stranger), JWSAlgorithm.RS256, "rsa-1", ISSUER, AUDIENCE, 300)))
                .isEmpty();
    }

    @Test
    void a_wrong_issuer_or_audience_is_refused() throws Exception {
        assertThat(verifier.verify(token(
                        new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", "https://other.example", AUDIENCE, 300)))
                .isEmpty();
        assertThat(verifier.verify(token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", ISSUER, "other", 300)))
                .isEmpty();
    }

    @Test
    void an_expired_token_is_refused() throws Exception {
        assertThat(verifier.verify(token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", ISSUER, AUDIENCE, -600)))
                .isEmpty();
    }

    @Test
    void an_hs256_token_is_refused_when_keys_come_from_a_jwk_set() throws Exception {
        byte[] secret = new byte[32];
        assertThat(verifier.verify(token(new MACSigner(secret), JWSAlgorithm.HS256, "rsa-1", ISSUER, AUDIENCE, 300)))
                .isEmpty();
    }

    @Test
    void the_service_configured_with_a_jwk_set_uri_authenticates_json_calls_with_it() throws Exception {
        java.nio.file.Path dataDir = java.nio.file.Files.createTempDirectory(
                java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "test-data")), "admit-jwks-");
        try (org.springframework.context.ConfigurableApplicationContext context =
                new org.springframework.boot.builder.SpringApplicationBuilder(dev.admit.service.AdmitApplication.class)
                        .properties(
                                "admit.data-dir=" + dataDir,
                                "spring.flyway.enabled=false",
                                "admit.server.port=0",
                                "admit.security.jwt.jwk-set-uri=http://127.0.0.1:"
                                        + jwks.getAddress().getPort() + "/keys",
                                "admit.security.jwt.issuer=" + ISSUER,
                                "admit.security.jwt.audience=" + AUDIENCE)
                        .run()) {
            int port = context.getBean(dev.admit.api.server.AdmitServer.class).port();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String rs256 = token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", ISSUER, AUDIENCE, 300);
            String hs256 = token(new MACSigner(new byte[32]), JWSAlgorithm.HS256, "rsa-1", ISSUER, AUDIENCE, 300);
            assertThat(get(http, port, rs256).statusCode()).isEqualTo(404);
            assertThat(get(http, port, hs256).statusCode()).isEqualTo(401);
            assertThat(java.nio.file.Files.exists(dataDir.resolve(AdminToken.TOKEN_FILE)))
                    .as("no admin token is written when callers come from a JWK set")
                    .isFalse();
        }
    }

    private static java.net.http.HttpResponse<String> get(java.net.http.HttpClient http, int port, String token)
            throws Exception {
        return http.send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/users/nobody"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
