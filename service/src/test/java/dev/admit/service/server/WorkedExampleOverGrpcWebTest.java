package dev.admit.service.server;

import static dev.admit.service.server.ServiceClients.bearer;
import static dev.admit.service.server.ServiceClients.newHuman;
import static dev.admit.service.server.ServiceClients.returnCode;
import static dev.admit.service.server.ServiceClients.storedEventTypes;
import static dev.admit.service.server.ServiceClients.wrongCodeFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientRequestContext;
import com.linecorp.armeria.client.ClientRequestContextCaptor;
import com.linecorp.armeria.client.Clients;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.common.logging.RequestLogProperty;
import dev.admit.api.server.AdmitServer;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.server.ServiceClients.Failure;
import dev.admit.service.server.ServiceClients.Tokens;
import dev.admit.service.server.ServiceClients.Transport;
import dev.admit.spring.boot.AdmitProperties;
import dev.admit.wire.object.v2.Details;
import dev.admit.wire.user.v2.AddHumanUserResponse;
import dev.admit.wire.user.v2.CreateInviteCodeResponse;
import dev.admit.wire.user.v2.GetUserByIDRequest;
import dev.admit.wire.user.v2.GetUserByIDResponse;
import dev.admit.wire.user.v2.UserServiceGrpc.UserServiceBlockingStub;
import dev.admit.wire.user.v2.VerifyInviteCodeRequest;
import dev.admit.wire.user.v2.VerifyInviteCodeResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * behaviour.md §7 over gRPC-web ({@code application/grpc-web+proto}), as browsers and ZITADEL's TypeScript clients
 * call it: Armeria's gRPC-web client over HTTP/2 (h2c) and over HTTP/1.1 (h1c), where trailers travel in the body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkedExampleOverGrpcWebTest extends AdmitContextTest {

    @Autowired
    AdmitServer server;

    @Autowired
    AdmitProperties properties;

    @Autowired
    JdbcTemplate jdbc;

    private ClientFactory factory;

    @BeforeAll
    void createClientFactory() {
        factory = ClientFactory.builder().build();
    }

    @AfterAll
    void closeClientFactory() {
        if (factory != null) {
            factory.close();
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(
            value = SessionProtocol.class,
            names = {"H2C", "H1C"})
    void the_worked_example_answers_each_step_with_the_documented_sequence_and_errors(SessionProtocol protocol) {
        UserServiceBlockingStub users = ServiceClients.grpcWebStub(
                factory, protocol, server.port(), bearer(Tokens.of(properties).admin()));
        String org = ServiceClients.freshOrgId();

        // 1. AddHumanUser → user.human.added (seq 1); the call really went over gRPC-web on the chosen protocol
        AddHumanUserResponse added =
                onWire(protocol, () -> users.addHumanUser(newHuman(org).build()));
        String userId = added.getUserId();
        assertThat(added.getDetails().getSequence()).isEqualTo(1);
        assertThat(added.getDetails().getResourceOwner()).isEqualTo(org);
        assertThat(added.getDetails().hasCreationDate()).isFalse();

        // 2. CreateInviteCode with return_code → invite.code.added (seq 2)
        CreateInviteCodeResponse created = users.createInviteCode(returnCode(userId));
        assertThat(created.getDetails().getSequence()).isEqualTo(2);
        String code = created.getInviteCode();
        assertThat(code).matches("[A-Z0-9]{6}");

        // 3. a wrong code → invite.check.failed (seq 3), INVALID_ARGUMENT COMMAND-Wgn4q in the gRPC-web trailers
        Failure wrong = onWire(protocol, () -> verifyFails(users, userId, wrongCodeFor(code)));
        wrong.is(Status.Code.INVALID_ARGUMENT, "COMMAND-Wgn4q", "Code is invalid");
        assertThat(getUser(users, userId).getDetails().getSequence()).isEqualTo(3);

        // 4. the right code → invite.check.succeeded (seq 4), email.verified (seq 5)
        VerifyInviteCodeResponse verified = users.verifyInviteCode(VerifyInviteCodeRequest.newBuilder()
                .setUserId(userId)
                .setVerificationCode(code)
                .build());
        Details verifiedDetails = verified.getDetails();
        assertThat(verifiedDetails.getSequence()).isEqualTo(5);
        assertThat(verifiedDetails.getResourceOwner()).isEqualTo(org);
        assertThat(verifiedDetails.hasCreationDate()).isFalse();

        // 5. GetUserByID → verified, the same sequence and change date
        GetUserByIDResponse read = getUser(users, userId);
        assertThat(read.getUser().getHuman().getEmail().getIsVerified()).isTrue();
        assertThat(read.getDetails().getSequence()).isEqualTo(5);
        assertThat(read.getDetails().getChangeDate()).isEqualTo(verifiedDetails.getChangeDate());

        // 6. the same code again → invite.check.failed (seq 6, NO_ACTIVE_CODE), COMMAND-Wgn4q
        verifyFails(users, userId, code).is(Status.Code.INVALID_ARGUMENT, "COMMAND-Wgn4q", "Code is invalid");
        assertThat(getUser(users, userId).getDetails().getSequence()).isEqualTo(6);

        assertThat(storedEventTypes(jdbc, userId))
                .containsExactly(
                        "user.human.added",
                        "user.human.invite.code.added",
                        "user.human.invite.check.failed",
                        "user.human.invite.check.succeeded",
                        "user.human.email.verified",
                        "user.human.invite.check.failed");
    }

    /** Runs a call and asserts it went out as gRPC-web over {@code protocol} and came back as gRPC-web. */
    private static <T> T onWire(SessionProtocol protocol, Supplier<T> call) {
        T result;
        ClientRequestContext ctx;
        try (ClientRequestContextCaptor captor = Clients.newContextCaptor()) {
            result = call.get();
            ctx = captor.get();
        }
        RequestLog log = ctx.log()
                .whenAvailable(
                        RequestLogProperty.SESSION,
                        RequestLogProperty.REQUEST_HEADERS,
                        RequestLogProperty.RESPONSE_HEADERS)
                .join();
        assertThat(log.sessionProtocol()).isEqualTo(protocol);
        assertThat(log.requestHeaders().contentType().subtype()).isEqualTo("grpc-web+proto");
        assertThat(log.responseHeaders().contentType()).isNotNull();
        assertThat(log.responseHeaders().contentType().subtype()).startsWith("grpc-web");
        return result;
    }

    private static GetUserByIDResponse getUser(UserServiceBlockingStub users, String userId) {
        return users.getUserByID(
                GetUserByIDRequest.newBuilder().setUserId(userId).build());
    }

    private static Failure verifyFails(UserServiceBlockingStub users, String userId, String code) {
        StatusRuntimeException error = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> users.verifyInviteCode(VerifyInviteCodeRequest.newBuilder()
                        .setUserId(userId)
                        .setVerificationCode(code)
                        .build()));
        assertThat(error).as("VerifyInviteCode(%s) fails", code).isNotNull();
        return Failure.of(Transport.GRPC_WEB, error);
    }
}
