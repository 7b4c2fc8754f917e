package dev.admit.service.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.admit.api.security.AdminToken;
import dev.admit.spring.boot.AdmitProperties;
import dev.admit.wire.object.v2.Organization;
import dev.admit.wire.user.v2.AddHumanUserRequest;
import dev.admit.wire.user.v2.AddHumanUserResponse;
import dev.admit.wire.user.v2.CreateInviteCodeRequest;
import dev.admit.wire.user.v2.CreateInviteCodeResponse;
import dev.admit.wire.user.v2.GetUserByIDRequest;
import dev.admit.wire.user.v2.GetUserByIDResponse;
import dev.admit.wire.user.v2.ListAuthenticationMethodTypesRequest;
import dev.admit.wire.user.v2.ListAuthenticationMethodTypesResponse;
import dev.admit.wire.user.v2.Password;
import dev.admit.wire.user.v2.PasswordResetRequest;
import dev.admit.wire.user.v2.PasswordResetResponse;
import dev.admit.wire.user.v2.ResendInviteCodeRequest;
import dev.admit.wire.user.v2.ResendInviteCodeResponse;
import dev.admit.wire.user.v2.ReturnInviteCode;
import dev.admit.wire.user.v2.SetHumanEmail;
import dev.admit.wire.user.v2.SetHumanProfile;
import dev.admit.wire.user.v2.SetPasswordRequest;
import dev.admit.wire.user.v2.SetPasswordResponse;
import dev.admit.wire.user.v2.UserServiceGrpc;
import dev.admit.wire.user.v2.UserServiceGrpc.UserServiceBlockingStub;
import dev.admit.wire.user.v2.VerifyInviteCodeRequest;
import dev.admit.wire.user.v2.VerifyInviteCodeResponse;
import dev.admit.wire.v1.ErrorDetail;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Real clients of the running service, and what the end-to-end tests share: bearer tokens minted with the
 * service's own HS256 secret (and deliberately bad ones), a grpc-java channel over HTTP/2 plaintext, Armeria's
 * gRPC-web client over HTTP/2 or HTTP/1.1, a plain {@link HttpClient} for the JSON routes, one {@link UserApi} over
 * all three transports, and the reading of errors as each transport carries them.
 */
final class ServiceClients {

    /** A guard against a hung call, never a timing expectation. */
    static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ERROR_DETAIL_TYPE = "type.googleapis.com/zitadel.v1.ErrorDetail";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ServiceClients() {}

    // --- fresh names: the Spring context (and its database) is shared by every test class

    static String freshOrgId() {
        return String.valueOf(ThreadLocalRandom.current().nextLong(10_000_000_000_000_000L, 99_999_999_999_999_999L));
    }

    static String freshUserId() {
        return "e2e-" + UUID.randomUUID();
    }

    static String freshEmail() {
        return "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 16) + "@example.com";
    }

    /** A complete, valid request for a new user in {@code orgId}, with a fresh email (the default username). */
    static AddHumanUserRequest.Builder newHuman(String orgId) {
        AddHumanUserRequest.Builder request = AddHumanUserRequest.newBuilder()
                .setProfile(SetHumanProfile.newBuilder().setGivenName("Ada").setFamilyName("Lovelace"))
                .setEmail(SetHumanEmail.newBuilder().setEmail(freshEmail()));
        if (orgId != null) {
            request.setOrganization(Organization.newBuilder().setOrgId(orgId));
        }
        return request;
    }

    static CreateInviteCodeRequest returnCode(String userId) {
        return CreateInviteCodeRequest.newBuilder()
                .setUserId(userId)
                .setReturnCode(ReturnInviteCode.getDefaultInstance())
                .build();
    }

    /** A code that is certainly not {@code code} (the worked example's "AAAAAA" unless that is the real one). */
    static String wrongCodeFor(String code) {
        return code.equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
    }

    /** {@code count} ASCII letters. */
    static String ascii(int count) {
        return "a".repeat(count);
    }

    /**
     * {@code count} random emoji: each is one code point but two UTF-16 chars and four UTF-8 bytes, so a limit
     * counted in anything but code points shows.
     */
    static String emoji(int count) {
        StringBuilder text = new StringBuilder(count * 2);
        for (int i = 0; i < count; i++) {
            text.appendCodePoint(0x1F600 + RANDOM.nextInt(0x50));
        }
        return text.toString();
    }

    // --- tokens

    static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Tokens signed with the service's generated HS256 secret, and tokens the service must refuse. */
    static final class Tokens {

        private final byte[] secret;

        private Tokens(byte[] secret) {
            this.secret = secret;
        }

        /** The secret the service generated under its data directory. */
        static Tokens of(AdmitProperties properties) {
            Path file = properties.dataDir().resolve(AdminToken.SECRET_FILE);
            try {
                return new Tokens(Base64.getDecoder()
                        .decode(Files.readString(file, StandardCharsets.US_ASCII)
                                .trim()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }

        /** The admin token the service wrote at start-up. */
        static String adminTokenFile(AdmitProperties properties) {
            try {
                return Files.readString(properties.dataDir().resolve(AdminToken.TOKEN_FILE), StandardCharsets.US_ASCII)
                        .trim();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the admin token", e);
            }
        }

        /** {@code user.read user.write} for every organization. */
        String admin() {
            return token("e2e-admin", null, "user.read", "user.write");
        }

        /** A valid token of {@code subject}, limited to {@code orgId} unless it is null. */
        String token(String subject, String orgId, String... scopes) {
            return sign(
                    hs256(secret),
                    JWSAlgorithm.HS256,
                    claims(subject, orgId, Instant.now().plus(Duration.ofHours(1)), scopes));
        }

        /** Otherwise valid, but expired an hour ago (well beyond any clock skew allowance). */
        String expired(String... scopes) {
            return sign(
                    hs256(secret),
                    JWSAlgorithm.HS256,
                    claims("e2e-expired", null, Instant.now().minus(Duration.ofHours(1)), scopes));
        }

        /** Otherwise valid, but signed with another HS256 secret. */
        String wrongSignature(String... scopes) {
            byte[] other = new byte[32];
            RANDOM.nextBytes(other);
            return sign(hs256(other), JWSAlgorithm.HS256, claims("e2e-forger", null, inAnHour(), scopes));
        }

        /** Otherwise valid, but RS256: the service is configured for HS256 only. */
        String rs256(String... scopes) {
            try {
                return sign(
                        new RSASSASigner(new RSAKeyGenerator(2048).generate()),
                        JWSAlgorithm.RS256,
                        claims("e2e-rsa", null, inAnHour(), scopes));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Otherwise valid, but ES256: the service is configured for HS256 only. */
        String es256(String... scopes) {
            try {
                return sign(
                        new ECDSASigner(new ECKeyGenerator(Curve.P_256).generate()),
                        JWSAlgorithm.ES256,
                        claims("e2e-ec", null, inAnHour(), scopes));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** An unsecured JWT ({@code alg: none}). */
        String unsigned(String... scopes) {
            return new PlainJWT(claims("e2e-none", null, inAnHour(), scopes)).serialize();
        }

        private static JWSSigner hs256(byte[] key) {
            try {
                return new MACSigner(key);
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Instant inAnHour() {
            return Instant.now().plus(Duration.ofHours(1));
        }

        private static JWTClaimsSet claims(String subject, String orgId, Instant expiry, String... scopes) {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .subject(subject)
                    .issueTime(Date.from(expiry.minus(Duration.ofHours(2))))
                    .expirationTime(Date.from(expiry));
            if (scopes.length > 0) {
                claims.claim("scope", String.join(" ", scopes));
            }
            if (orgId != null) {
                claims.claim("org_id", orgId);
            }
            return claims.build();
        }

        private static String sign(JWSSigner signer, JWSAlgorithm algorithm, JWTClaimsSet claims) {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
                jwt.sign(signer);
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // --- the event store

    /** The stored type names of a user's stream, in order. */
    static List<String> storedEventTypes(JdbcTemplate jdbc, String userId) {
        return jdbc.queryForList(
                "SELECT payload_type FROM admit.domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number",
                String.class,
                userId);
    }

    // --- errors as the transports carry them

    /** gRPC code as HTTP status, per behaviour.md §5. */
    static int httpStatusOf(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION -> 400;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case UNIMPLEMENTED -> 501;
            case INTERNAL -> 500;
            case UNAVAILABLE -> 503;
            case UNAUTHENTICATED -> 401;
            case DEADLINE_EXCEEDED -> 504;
            case RESOURCE_EXHAUSTED -> 429;
            default -> throw new IllegalArgumentException("no HTTP status in behaviour.md §5 for " + code);
        };
    }

    /**
     * An error answer: the gRPC code, the {@code google.rpc.Status} message and its {@code zitadel.v1.ErrorDetail}s;
     * {@code httpStatus} is null on gRPC and gRPC-web.
     */
    record Failure(
            Transport transport, Status.Code code, Integer httpStatus, String message, List<ErrorDetail> details) {

        /** The error of a gRPC or gRPC-web call, as a ZITADEL client reads it from the trailers. */
        static Failure of(Transport transport, StatusRuntimeException e) {
            Status status = e.getStatus();
            com.google.rpc.Status rpc = StatusProto.fromThrowable(e);
            List<ErrorDetail> details = new ArrayList<>();
            if (rpc != null) {
                assertThat(rpc.getCode())
                        .as("grpc-status-details-bin agrees with grpc-status")
                        .isEqualTo(status.getCode().value());
                assertThat(rpc.getMessage())
                        .as("grpc-status-details-bin agrees with grpc-message")
                        .isEqualTo(status.getDescription());
                for (Any detail : rpc.getDetailsList()) {
                    assertThat(detail.getTypeUrl()).isEqualTo(ERROR_DETAIL_TYPE);
                    try {
                        details.add(detail.unpack(ErrorDetail.class));
                    } catch (InvalidProtocolBufferException ex) {
                        throw new AssertionError("undecodable error detail", ex);
                    }
                }
            }
            return new Failure(transport, status.getCode(), null, status.getDescription(), details);
        }

        /** The error of a JSON call: exactly {@code {"code","message","details"}}, HTTP status as in §5. */
        static Failure of(JsonResponse response) {
            JsonNode body = response.json();
            assertThat(fieldNames(body))
                    .as("JSON error body %s", response.body())
                    .containsExactlyInAnyOrder("code", "message", "details");
            assertThat(body.get("code").isInt()).isTrue();
            assertThat(body.get("message").isTextual()).isTrue();
            assertThat(body.get("details").isArray()).isTrue();
            List<ErrorDetail> details = new ArrayList<>();
            for (JsonNode detail : body.get("details")) {
                assertThat(fieldNames(detail)).containsExactlyInAnyOrder("@type", "id", "message");
                assertThat(detail.get("@type").asText()).isEqualTo(ERROR_DETAIL_TYPE);
                details.add(ErrorDetail.newBuilder()
                        .setId(detail.get("id").asText())
                        .setMessage(detail.get("message").asText())
                        .build());
            }
            Status.Code code = Status.fromCodeValue(body.get("code").asInt()).getCode();
            return new Failure(
                    Transport.JSON, code, response.status(), body.get("message").asText(), details);
        }

        /** Asserts a catalogued error: code, {@code "<text> (<id>)"}, one detail, and on JSON the HTTP status. */
        Failure is(Status.Code expected, String id, String text) {
            assertThat(code).as("code of %s", this).isEqualTo(expected);
            assertThat(message).as("message of %s", this).isEqualTo(text + " (" + id + ")");
            assertThat(details)
                    .as("details of %s", this)
                    .containsExactly(
                            ErrorDetail.newBuilder().setId(id).setMessage(text).build());
            assertHttpStatus();
            return this;
        }

        /** Asserts a code (and on JSON its HTTP status) and that the message holds every fragment. */
        Failure isCode(Status.Code expected, String... messageFragments) {
            assertThat(code).as("code of %s", this).isEqualTo(expected);
            assertThat(message).as("message of %s", this).contains(messageFragments);
            assertHttpStatus();
            return this;
        }

        /** An INVALID_ARGUMENT that names the field and its limit, as the wire contract's validation does. */
        Failure isValidationError(String field, String limit) {
            isCode(Status.Code.INVALID_ARGUMENT, field, limit);
            assertThat(details.stream().map(ErrorDetail::getId))
                    .as("a validation error is not a domain error: %s", this)
                    .doesNotContain("COMMAND-Wgn4q", "COMMAND-F5g2h", "COMMAND-Wgvn4");
            return this;
        }

        Failure isUnauthenticated() {
            return is(Status.Code.UNAUTHENTICATED, "AUTH-7fs1e", "Token is missing or invalid");
        }

        Failure isPermissionDenied() {
            return is(Status.Code.PERMISSION_DENIED, "AUTH-5mWD2", "No matching permissions found");
        }

        private void assertHttpStatus() {
            if (httpStatus != null) {
                assertThat(httpStatus).as("HTTP status of %s", this).isEqualTo(httpStatusOf(code));
            }
        }
    }

    /** The outcome of one call: a response or a {@link Failure}. */
    record Answer<T extends Message>(T value, Failure failure) {

        T ok() {
            if (failure != null) {
                fail("expected a successful answer, got " + failure);
            }
            return value;
        }

        Failure error() {
            if (failure == null) {
                fail("expected an error, got " + value);
            }
            return failure;
        }
    }

    // --- gRPC (grpc-java) and gRPC-web (Armeria)

    /** A grpc-java channel over HTTP/2 without TLS. */
    static ManagedChannel grpcChannel(int port) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .build();
    }

    static void shutdown(ManagedChannel channel) {
        if (channel == null) {
            return;
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code stub} sending {@code authorization} (a whole header value) with every call. */
    static <S extends AbstractStub<S>> S withAuthorization(S stub, String authorization) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** Armeria's gRPC-web client ({@code application/grpc-web+proto}) over {@code protocol} (H1C or H2C). */
    static UserServiceBlockingStub grpcWebStub(
            ClientFactory factory, SessionProtocol protocol, int port, String authorization) {
        var builder = GrpcClients.builder(protocol.uriText() + "://127.0.0.1:" + port)
                .factory(factory)
                .serializationFormat(GrpcSerializationFormats.PROTO_WEB)
                .responseTimeout(CALL_TIMEOUT);
        if (authorization != null) {
            builder.addHeader("authorization", authorization);
        }
        return builder.build(UserServiceBlockingStub.class);
    }

    // --- JSON (java.net.http)

    /** A response of a JSON route. */
    record JsonResponse(int status, String body, HttpHeaders headers) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }
    }

    /** Plain HTTP/1.1 requests to the JSON routes. */
    static final class JsonClient {

        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        private final String base;

        JsonClient(int port) {
            this.base = "http://127.0.0.1:" + port;
        }

        JsonResponse post(String path, String authorization, String json) {
            return send("POST", path, authorization, json, "application/json");
        }

        JsonResponse get(String path, String authorization) {
            return send("GET", path, authorization, null, null);
        }

        /** Any request; a null body sends none, a null content type sends no Content-Type header. */
        JsonResponse send(String method, String path, String authorization, String body, String contentType) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(CALL_TIMEOUT)
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            try {
                HttpResponse<String> response =
                        http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return new JsonResponse(response.statusCode(), response.body(), response.headers());
            } catch (IOException e) {
                throw new AssertionError(method + " " + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** A path segment, percent-encoded as UTF-8. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // --- one API over the three transports

    enum Transport {
        GRPC,
        GRPC_WEB,
        JSON
    }

    /**
     * {@code zitadel.user.v2.UserService} as a client sees it; {@code authorization} is the whole header value, or
     * null to send none.
     */
    interface UserApi extends AutoCloseable {

        Transport transport();

        Answer<AddHumanUserResponse> addHumanUser(String authorization, AddHumanUserRequest request);

        Answer<GetUserByIDResponse> getUserById(String authorization, String userId);

        Answer<CreateInviteCodeResponse> createInviteCode(String authorization, CreateInviteCodeRequest request);

        Answer<ResendInviteCodeResponse> resendInviteCode(String authorization, String userId);

        Answer<VerifyInviteCodeResponse> verifyInviteCode(String authorization, String userId, String code);

        default Answer<SetPasswordResponse> setPassword(String authorization, String userId, String password) {
            return setPassword(
                    authorization,
                    SetPasswordRequest.newBuilder()
                            .setUserId(userId)
                            .setNewPassword(Password.newBuilder().setPassword(password))
                            .build());
        }

        Answer<SetPasswordResponse> setPassword(String authorization, SetPasswordRequest request);

        Answer<PasswordResetResponse> passwordReset(String authorization, PasswordResetRequest request);

        default Answer<ListAuthenticationMethodTypesResponse> listAuthenticationMethodTypes(
                String authorization, String userId) {
            return listAuthenticationMethodTypes(
                    authorization,
                    ListAuthenticationMethodTypesRequest.newBuilder()
                            .setUserId(userId)
                            .build());
        }

        Answer<ListAuthenticationMethodTypesResponse> listAuthenticationMethodTypes(
                String authorization, ListAuthenticationMethodTypesRequest request);

        @Override
        void close();

        static UserApi open(Transport transport, int port) {
            return switch (transport) {
                case GRPC -> {
                    ManagedChannel channel = grpcChannel(port);
                    yield new StubApi(transport, UserServiceGrpc.newBlockingStub(channel), () -> shutdown(channel));
                }
                case GRPC_WEB -> {
                    ClientFactory factory = ClientFactory.builder().build();
                    yield new StubApi(transport, grpcWebStub(factory, SessionProtocol.H2C, port, null), factory::close);
                }
                case JSON -> new JsonApi(new JsonClient(port));
            };
        }
    }

    /** The API through a generated blocking stub (grpc-java's or Armeria's gRPC-web). */
    private record StubApi(Transport transport, UserServiceBlockingStub stub, Runnable closer) implements UserApi {

        @Override
        public Answer<AddHumanUserResponse> addHumanUser(String authorization, AddHumanUserRequest request) {
            return call(authorization, s -> s.addHumanUser(request));
        }

        @Override
        public Answer<GetUserByIDResponse> getUserById(String authorization, String userId) {
            return call(
                    authorization,
                    s -> s.getUserByID(
                            GetUserByIDRequest.newBuilder().setUserId(userId).build()));
        }

        @Override
        public Answer<CreateInviteCodeResponse> createInviteCode(
                String authorization, CreateInviteCodeRequest request) {
            return call(authorization, s -> s.createInviteCode(request));
        }

        @Override
        public Answer<ResendInviteCodeResponse> resendInviteCode(String authorization, String userId) {
            return call(
                    authorization,
                    s -> s.resendInviteCode(ResendInviteCodeRequest.newBuilder()
                            .setUserId(userId)
                            .build()));
        }

        @Override
        public Answer<VerifyInviteCodeResponse> verifyInviteCode(String authorization, String userId, String code) {
            return call(
                    authorization,
                    s -> s.verifyInviteCode(VerifyInviteCodeRequest.newBuilder()
                            .setUserId(userId)
                            .setVerificationCode(code)
                            .build()));
        }

        @Override
        public Answer<SetPasswordResponse> setPassword(String authorization, SetPasswordRequest request) {
            return call(authorization, s -> s.setPassword(request));
        }

        @Override
        public Answer<PasswordResetResponse> passwordReset(String authorization, PasswordResetRequest request) {
            return call(authorization, s -> s.passwordReset(request));
        }

        @Override
        public Answer<ListAuthenticationMethodTypesResponse> listAuthenticationMethodTypes(
                String authorization, ListAuthenticationMethodTypesRequest request) {
            return call(authorization, s -> s.listAuthenticationMethodTypes(request));
        }

        private <T extends Message> Answer<T> call(String authorization, Function<UserServiceBlockingStub, T> rpc) {
            UserServiceBlockingStub s = authorization == null ? stub : withAuthorization(stub, authorization);
            if (transport == Transport.GRPC) {
                s = s.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            try {
                return new Answer<>(rpc.apply(s), null);
            } catch (StatusRuntimeException e) {
                return new Answer<>(null, Failure.of(transport, e));
            }
        }

        @Override
        public void close() {
            closer.run();
        }
    }

    /**
     * The API through the JSON routes: request bodies are the proto3 JSON of the request (lowerCamelCase, as
     * ZITADEL's clients send them) without the field the route binds from the path.
     */
    private record JsonApi(JsonClient http) implements UserApi {

        private static final JsonFormat.Printer PRINTER = JsonFormat.printer();
        private static final JsonFormat.Parser PARSER = JsonFormat.parser();

        @Override
        public Transport transport() {
            return Transport.JSON;
        }

        @Override
        public Answer<AddHumanUserResponse> addHumanUser(String authorization, AddHumanUserRequest request) {
            return answer(
                    http.post("/v2/users/human", authorization, print(request)), AddHumanUserResponse.newBuilder());
        }

        @Override
        public Answer<GetUserByIDResponse> getUserById(String authorization, String userId) {
            return answer(http.get("/v2/users/" + segment(userId), authorization), GetUserByIDResponse.newBuilder());
        }

        @Override
        public Answer<CreateInviteCodeResponse> createInviteCode(
                String authorization, CreateInviteCodeRequest request) {
            return answer(
                    http.post(
                            "/v2/users/" + segment(request.getUserId()) + "/invite_code",
                            authorization,
                            print(request.toBuilder().clearUserId().build())),
                    CreateInviteCodeResponse.newBuilder());
        }

        @Override
        public Answer<ResendInviteCodeResponse> resendInviteCode(String authorization, String userId) {
            // the route has no body
            return answer(
                    http.send(
                            "POST", "/v2/users/" + segment(userId) + "/invite_code/resend", authorization, null, null),
                    ResendInviteCodeResponse.newBuilder());
        }

        @Override
        public Answer<VerifyInviteCodeResponse> verifyInviteCode(String authorization, String userId, String code) {
            return answer(
                    http.post(
                            "/v2/users/" + segment(userId) + "/invite_code/verify",
                            authorization,
                            print(VerifyInviteCodeRequest.newBuilder()
                                    .setVerificationCode(code)
                                    .build())),
                    VerifyInviteCodeResponse.newBuilder());
        }

        @Override
        public Answer<SetPasswordResponse> setPassword(String authorization, SetPasswordRequest request) {
            return answer(
                    http.post(
                            "/v2/users/" + segment(request.getUserId()) + "/password",
                            authorization,
                            print(request.toBuilder().clearUserId().build())),
                    SetPasswordResponse.newBuilder());
        }

        @Override
        public Answer<PasswordResetResponse> passwordReset(String authorization, PasswordResetRequest request) {
            return answer(
                    http.post(
                            "/v2/users/" + segment(request.getUserId()) + "/password_reset",
                            authorization,
                            print(request.toBuilder().clearUserId().build())),
                    PasswordResetResponse.newBuilder());
        }

        /** A domain query travels in the query string, as a browser's GET would send it. */
        @Override
        public Answer<ListAuthenticationMethodTypesResponse> listAuthenticationMethodTypes(
                String authorization, ListAuthenticationMethodTypesRequest request) {
            String query = "";
            if (request.hasDomainQuery()) {
                query = "?domainQuery.domain="
                        + segment(request.getDomainQuery().getDomain())
                        + "&domainQuery.includeWithoutDomain="
                        + request.getDomainQuery().getIncludeWithoutDomain();
            }
            return answer(
                    http.get(
                            "/v2/users/" + segment(request.getUserId()) + "/authentication_methods" + query,
                            authorization),
                    ListAuthenticationMethodTypesResponse.newBuilder());
        }

        @SuppressWarnings("unchecked")
        private static <T extends Message> Answer<T> answer(JsonResponse response, Message.Builder builder) {
            if (response.status() != 200) {
                return new Answer<>(null, Failure.of(response));
            }
            try {
                PARSER.merge(response.body(), builder);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("not a JSON response of its RPC: " + response.body(), e);
            }
            return new Answer<>((T) builder.build(), null);
        }

        private static String print(Message message) {
            try {
                return PRINTER.print(message);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            // java.net.http.HttpClient of Java 17 holds nothing to close
        }
    }

    /** Every transport's API, opened together and closed together. */
    static final class Apis implements AutoCloseable {

        private final Map<Transport, UserApi> apis;

        Apis(int port) {
            this.apis = Map.of(
                    Transport.GRPC, UserApi.open(Transport.GRPC, port),
                    Transport.GRPC_WEB, UserApi.open(Transport.GRPC_WEB, port),
                    Transport.JSON, UserApi.open(Transport.JSON, port));
        }

        UserApi over(Transport transport) {
            return apis.get(transport);
        }

        @Override
        public void close() {
            apis.values().forEach(UserApi::close);
        }
    }
}
