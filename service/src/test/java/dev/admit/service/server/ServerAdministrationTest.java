package dev.admit.service.server;

import static dev.admit.service.server.ServiceClients.bearer;
import static dev.admit.service.server.ServiceClients.freshOrgId;
import static dev.admit.service.server.ServiceClients.newHuman;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.nimbusds.jwt.SignedJWT;
import dev.admit.api.security.AdminToken;
import dev.admit.api.server.AdmitServer;
import dev.admit.api.server.UserServiceEndpoint;
import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.AddHumanUserResult;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.projection.FindUserQuery;
import dev.admit.projection.UserQueries;
import dev.admit.service.AdmitApplication;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.server.ServiceClients.Transport;
import dev.admit.service.server.ServiceClients.UserApi;
import dev.admit.spring.boot.AdmitProperties;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What operators and tools rely on: gRPC health and reflection (open without a token), the generated admin token
 * (private to its owner, and usable), and an embedding host that switches the server off but keeps the domain.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerAdministrationTest extends AdmitContextTest {

    @Autowired
    AdmitServer server;

    @Autowired
    AdmitProperties properties;

    private ManagedChannel channel;

    @BeforeAll
    void connect() {
        channel = ServiceClients.grpcChannel(server.port());
    }

    @AfterAll
    void disconnect() {
        ServiceClients.shutdown(channel);
    }

    @Test
    void grpc_health_answers_serving_without_a_token() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(ServiceClients.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.newBuilder().setService("").build());

        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void server_reflection_needs_a_valid_token_when_switched_on() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reflect(
                        new Metadata(),
                        ServerReflectionRequest.newBuilder().setListServices("").build()))
                .hasRootCauseInstanceOf(io.grpc.StatusRuntimeException.class)
                .rootCause()
                .satisfies(failure -> assertThat(((io.grpc.StatusRuntimeException) failure)
                                .getStatus()
                                .getCode())
                        .isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED));
    }

    @Test
    void server_reflection_v1_lists_the_user_service_and_describes_it() throws Exception {
        List<ServerReflectionResponse> answers = reflect(
                ServerReflectionRequest.newBuilder().setListServices("").build(),
                ServerReflectionRequest.newBuilder()
                        .setFileContainingSymbol("zitadel.user.v2.UserService")
                        .build());

        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).getListServicesResponse().getServiceList())
                .extracting(ServiceResponse::getName)
                .contains("zitadel.user.v2.UserService", "grpc.health.v1.Health");

        List<FileDescriptorProto> files = new ArrayList<>();
        for (ByteString file : answers.get(1).getFileDescriptorResponse().getFileDescriptorProtoList()) {
            files.add(FileDescriptorProto.parseFrom(file));
        }
        ServiceDescriptorProto userService = files.stream()
                .filter(file -> file.getPackage().equals("zitadel.user.v2"))
                .flatMap(file -> file.getServiceList().stream())
                .filter(service -> service.getName().equals("UserService"))
                .findFirst()
                .orElseThrow();
        assertThat(userService.getMethodList())
                .extracting(MethodDescriptorProto::getName)
                .contains(
                        "AddHumanUser",
                        "GetUserByID",
                        "CreateInviteCode",
                        "ResendInviteCode",
                        "VerifyInviteCode",
                        "SetPassword",
                        "ListAuthenticationMethodTypes");
    }

    @Test
    void the_admin_token_file_is_readable_by_its_owner_only_and_works() throws Exception {
        Path tokenFile = properties.dataDir().resolve(AdminToken.TOKEN_FILE);
        Path secretFile = properties.dataDir().resolve(AdminToken.SECRET_FILE);

        assertThat(tokenFile).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)))
                .isEqualTo("rw-------");

        String token = ServiceClients.Tokens.adminTokenFile(properties);
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("HS256");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope").split(" "))
                .containsExactlyInAnyOrder("user.read", "user.write");
        assertThat(jwt.getJWTClaimsSet().getClaim("org_id"))
                .as("every organization")
                .isNull();

        try (UserApi api = UserApi.open(Transport.JSON, server.port())) {
            String org = freshOrgId();
            var added = api.addHumanUser(bearer(token), newHuman(org).build()).ok();
            assertThat(api.getUserById(bearer(token), added.getUserId())
                            .ok()
                            .getDetails()
                            .getResourceOwner())
                    .isEqualTo(org);
        }
    }

    @Test
    void with_the_server_disabled_the_command_gateway_and_user_queries_still_work() throws Exception {
        Path base = Path.of("target", "test-data");
        Files.createDirectories(base);
        Path dataDir = Files.createTempDirectory(base, "admit-serverless-");

        ConfigurableApplicationContext host = new SpringApplicationBuilder(AdmitApplication.class)
                .properties(
                        "spring.flyway.enabled=false",
                        "admit.server.enabled=false",
                        "admit.data-dir=" + dataDir,
                        "spring.main.banner-mode=off")
                .run();
        try {
            assertThat(host.getBeanProvider(AdmitServer.class).getIfAvailable())
                    .as("no server")
                    .isNull();
            assertThat(host.getBeanProvider(UserServiceEndpoint.class).getIfAvailable())
                    .isNull();
            assertThat(dataDir.resolve(AdminToken.TOKEN_FILE))
                    .as("no admin token either")
                    .doesNotExist();

            CommandGateway commands = host.getBean(CommandGateway.class);
            UserQueries queries = host.getBean(UserQueries.class);
            UserId userId = new UserId(ServiceClients.freshUserId());
            AddHumanUserResult added = commands.sendAndWait(new AddHumanUserCommand(
                    userId,
                    new OrgId(freshOrgId()),
                    null,
                    "Ada",
                    "Lovelace",
                    null,
                    null,
                    new EmailAddress(ServiceClients.freshEmail()),
                    false));
            assertThat(added.details().sequence()).isEqualTo(1);
            assertThat(queries.find(new FindUserQuery(userId, OrgScope.any()))).isPresent();
        } finally {
            host.close();
        }
    }

    private List<ServerReflectionResponse> reflect(ServerReflectionRequest... requests) throws Exception {
        Metadata headers = new Metadata();
        headers.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                ServiceClients.bearer(Files.readString(properties.dataDir().resolve(AdminToken.TOKEN_FILE))
                        .trim()));
        return reflect(headers, requests);
    }

    private List<ServerReflectionResponse> reflect(Metadata headers, ServerReflectionRequest... requests)
            throws Exception {
        CompletableFuture<List<ServerReflectionResponse>> done = new CompletableFuture<>();
        List<ServerReflectionResponse> answers = new ArrayList<>();
        StreamObserver<ServerReflectionRequest> out = ServerReflectionGrpc.newStub(channel)
                .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(ServiceClients.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse answer) {
                        synchronized (answers) {
                            answers.add(answer);
                        }
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                        synchronized (answers) {
                            done.complete(List.copyOf(answers));
                        }
                    }
                });
        for (ServerReflectionRequest request : requests) {
            out.onNext(request);
        }
        out.onCompleted();
        return done.get(ServiceClients.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
