package dev.admit.api.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.admit.domain.user.OrgId;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Verifies bearer JWTs: HS256 with a shared secret, or RS256/ES256 with keys from a JWK set URI. A token must carry
 * {@code sub} and {@code exp}, be within its {@code nbf} and {@code exp}, have an accepted {@code typ} when it has one,
 * and an {@code org_id}, when present, must be a non-empty string. Issuer and audience are checked when configured,
 * and a JWK set requires both unless explicitly told otherwise: a provider's keys sign every token it issues, ID
 * tokens and other clients' tokens included.
 */
public final class TokenVerifier {

    private static final String BEARER = "Bearer ";
    private static final int MAX_VERIFIED = 10_000;
    private static final long VERIFIED_FOR_NANOS = Duration.ofMinutes(1).toNanos();

    /**
     * Tokens verified within the last minute and what they stand for. A client sends the same token with every
     * call, and verifying it again each time (parsing, signature, claims) cost about a tenth of a JSON call. An
     * entry is used only while its token is unexpired and for a minute at most, so a key withdrawn from the JWK
     * set stops being honoured within a minute; invalid tokens are never kept.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(Caller caller, Instant expires, long at) {}

    private final DefaultJWTProcessor<SecurityContext> processor;

    private TokenVerifier(DefaultJWTProcessor<SecurityContext> processor) {
        this.processor = processor;
    }

    /** Access-token types of RFC 9068, accepted by default from a JWK set. */
    public static final Set<String> ACCESS_TOKEN_TYPES = Set.of("at+jwt", "application/at+jwt");

    /** Tokens signed with a shared secret: Admit's own admin token has no {@code typ}, others may say JWT. */
    private static final Set<String> SHARED_SECRET_TYPES = Set.of("JWT", "at+jwt", "application/at+jwt");

    public static TokenVerifier hmac(byte[] secret, String issuer, String audience) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the HS256 secret must be at least 32 bytes");
        }
        return of(new ImmutableSecret<>(secret), Set.of(JWSAlgorithm.HS256), issuer, audience, SHARED_SECRET_TYPES);
    }

    /** Tokens of an identity provider, RFC 9068 access tokens by default, for this issuer and audience. */
    public static TokenVerifier jwkSet(URI jwkSetUri, String issuer, String audience) {
        return jwkSet(jwkSetUri, issuer, audience, ACCESS_TOKEN_TYPES, true);
    }

    /**
     * @param acceptedTypes the {@code typ} values accepted (a token without one is accepted too)
     * @param requireIssuerAndAudience false accepts any token the provider signed when issuer or audience is unset
     */
    public static TokenVerifier jwkSet(
            URI jwkSetUri,
            String issuer,
            String audience,
            Set<String> acceptedTypes,
            boolean requireIssuerAndAudience) {
        if (requireIssuerAndAudience && (isBlank(issuer) || isBlank(audience))) {
            throw new IllegalArgumentException("with a JWK set, admit.security.jwt.issuer and "
                    + "admit.security.jwt.audience are required: the provider's keys sign every token it issues");
        }
        if (!secureOrLocal(jwkSetUri)) {
            throw new IllegalArgumentException(
                    "the JWK set URI must use https (plain http only on a loopback address): " + jwkSetUri);
        }
        try {
            JWKSource<SecurityContext> keys =
                    JWKSourceBuilder.create(jwkSetUri.toURL()).retrying(true).build();
            return of(keys, Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), issuer, audience, acceptedTypes);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWK set URI is not a URL: " + jwkSetUri);
        }
    }

    private static boolean secureOrLocal(URI uri) {
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            return true;
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            return false;
        }
        String host = uri.getHost().replace("[", "").replace("]", "");
        return host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static TokenVerifier of(
            JWKSource<SecurityContext> keys,
            Set<JWSAlgorithm> algorithms,
            String issuer,
            String audience,
            Set<String> acceptedTypes) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        Set<JOSEObjectType> types = new HashSet<>();
        acceptedTypes.forEach(type -> types.add(new JOSEObjectType(type)));
        types.add(null); // no typ at all
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(types));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (issuer != null && !issuer.isBlank()) {
            exact.issuer(issuer);
        }
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                audience == null || audience.isBlank() ? null : audience, exact.build(), Set.of("sub", "exp")));
        return new TokenVerifier(processor);
    }

    /** The caller an {@code Authorization} header's bearer token stands for; empty for anything else. */
    public Optional<Caller> verifyAuthorization(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return verify(authorization.substring(BEARER.length()).trim());
    }

    /**
     * The caller a token stands for, or empty when the token is not valid for any reason (the reason is not
     * given: it would help an attacker and nobody else).
     */
    public Optional<Caller> verify(String token) {
        Verified known = verified.get(token);
        if (known != null
                && Instant.now().isBefore(known.expires())
                && System.nanoTime() - known.at() < VERIFIED_FOR_NANOS) {
            return Optional.of(known.caller());
        }
        Optional<Verified> fresh = verifyNow(token);
        fresh.ifPresent(valid -> {
            if (verified.size() >= MAX_VERIFIED) {
                verified.clear();
            }
            verified.put(token, valid);
        });
        return fresh.map(Verified::caller);
    }

    private Optional<Verified> verifyNow(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            String scope = claims.getStringClaim("scope");
            Set<String> scopes = scope == null
                    ? Set.of()
                    : Arrays.stream(scope.trim().split("\\s+"))
                            .filter(s -> !s.isEmpty())
                            .collect(Collectors.toCollection(HashSet::new));
            // a string or nothing: anything else, or an empty one, must not widen the caller to every organization
            String org = claims.getStringClaim("org_id");
            if (org != null && org.isBlank()) {
                return Optional.empty();
            }
            Optional<OrgId> organization = org == null ? Optional.empty() : Optional.of(new OrgId(org));
            return Optional.of(new Verified(
                    new Caller(claims.getSubject(), scopes, organization),
                    claims.getExpirationTime().toInstant(),
                    System.nanoTime()));
        } catch (ParseException | BadJOSEException | JOSEException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
