package dev.admit.service.server;

import static dev.admit.service.server.ServiceClients.bearer;
import static dev.admit.service.server.ServiceClients.newHuman;
import static dev.admit.service.server.ServiceClients.returnCode;
import static dev.admit.service.server.ServiceClients.storedEventTypes;
import static dev.admit.service.server.ServiceClients.wrongCodeFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import dev.admit.wire.user.v2.UserServiceGrpc;
import dev.admit.wire.user.v2.UserServiceGrpc.UserServiceBlockingStub;
import dev.admit.wire.user.v2.UserState;
import dev.admit.wire.user.v2.VerifyInviteCodeRequest;
import dev.admit.wire.user.v2.VerifyInviteCodeResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * behaviour.md §7 over gRPC: a grpc-java client on HTTP/2 without TLS, as ZITADEL's Go and Java clients call it.
 * Errors are read from the trailers: the status code and the {@code zitadel.v1.ErrorDetail} in
 * {@code grpc-status-details-bin}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkedExampleOverGrpcTest extends AdmitContextTest {

    @Autowired
    AdmitServer server;

    @Autowired
    AdmitProperties properties;

    @Autowired
    JdbcTemplate jdbc;

    private ManagedChannel channel;
    private UserServiceBlockingStub users;

    @BeforeAll
    void connect() {
        channel = ServiceClients.grpcChannel(server.port());
        users = ServiceClients.withAuthorization(
                UserServiceGrpc.newBlockingStub(channel),
                bearer(Tokens.of(properties).admin()));
    }

    @AfterAll
    void disconnect() {
        ServiceClients.shutdown(channel);
    }

    private UserServiceBlockingStub users() {
        return users.withDeadlineAfter(ServiceClients.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void the_worked_example_answers_each_step_with_the_documented_sequence_and_errors() {
        String org = ServiceClients.freshOrgId();

        // 1. AddHumanUser → user.human.added (seq 1)
        AddHumanUserResponse added = users().addHumanUser(newHuman(org).build());
        String userId = added.getUserId();
        assertThat(userId).as("a generated, time-ordered numeric id").matches("[0-9]{1,20}");
        assertThat(added.getDetails().getSequence()).isEqualTo(1);
        assertThat(added.getDetails().getResourceOwner()).isEqualTo(org);
        assertThat(added.getDetails().hasChangeDate()).isTrue();
        assertThat(added.getDetails().hasCreationDate())
                .as("creation_date stays unset on writes")
                .isFalse();

        // 2. CreateInviteCode with return_code → invite.code.added (seq 2), the code in the answer
        CreateInviteCodeResponse created = users().createInviteCode(returnCode(userId));
        assertThat(created.getDetails().getSequence()).isEqualTo(2);
        assertThat(created.getDetails().getResourceOwner()).isEqualTo(org);
        assertThat(created.hasInviteCode()).isTrue();
        String code = created.getInviteCode();
        assertThat(code).matches("[A-Z0-9]{6}");

        // 3. a wrong code → invite.check.failed (seq 3), INVALID_ARGUMENT COMMAND-Wgn4q
        verifyFails(userId, wrongCodeFor(code)).is(Status.Code.INVALID_ARGUMENT, "COMMAND-Wgn4q", "Code is invalid");
        GetUserByIDResponse afterFailure = getUser(userId);
        assertThat(afterFailure.getDetails().getSequence())
                .as("the failed attempt is stored")
                .isEqualTo(3);
        assertThat(afterFailure.getUser().getHuman().getEmail().getIsVerified()).isFalse();

        // 4. the right code → invite.check.succeeded (seq 4), email.verified (seq 5)
        VerifyInviteCodeResponse verified = users().verifyInviteCode(VerifyInviteCodeRequest.newBuilder()
                .setUserId(userId)
                .setVerificationCode(code)
                .build());
        Details verifiedDetails = verified.getDetails();
        assertThat(verifiedDetails.getSequence()).isEqualTo(5);
        assertThat(verifiedDetails.getResourceOwner()).isEqualTo(org);
        assertThat(verifiedDetails.hasChangeDate()).isTrue();
        assertThat(verifiedDetails.hasCreationDate()).isFalse();

        // 5. GetUserByID → verified, the same sequence and change date
        GetUserByIDResponse read = getUser(userId);
        assertThat(read.getUser().getHuman().getEmail().getIsVerified()).isTrue();
        assertThat(read.getDetails().getSequence()).isEqualTo(5);
        assertThat(read.getDetails().getChangeDate()).isEqualTo(verifiedDetails.getChangeDate());
        assertThat(read.getDetails().getResourceOwner()).isEqualTo(org);
        assertThat(read.getUser().getDetails().getSequence()).isEqualTo(5);
        assertThat(read.getUser().getUserId()).isEqualTo(userId);
        assertThat(read.getUser().getState()).isEqualTo(UserState.USER_STATE_ACTIVE);
        assertThat(read.getUser().getHuman().getProfile().getGivenName()).isEqualTo("Ada");

        // 6. the same code again → invite.check.failed (seq 6, NO_ACTIVE_CODE), COMMAND-Wgn4q
        verifyFails(userId, code).is(Status.Code.INVALID_ARGUMENT, "COMMAND-Wgn4q", "Code is invalid");
        assertThat(getUser(userId).getDetails().getSequence()).isEqualTo(6);

        assertThat(storedEventTypes(jdbc, userId))
                .containsExactly(
                        "user.human.added",
                        "user.human.invite.code.added",
                        "user.human.invite.check.failed",
                        "user.human.invite.check.succeeded",
                        "user.human.email.verified",
                        "user.human.invite.check.failed");
    }

    @Test
    void an_error_carries_the_zitadel_error_detail_in_grpc_status_details_bin() {
        String org = ServiceClients.freshOrgId();
        String userId = users().addHumanUser(newHuman(org).build()).getUserId();
        users().createInviteCode(returnCode(userId));

        StatusRuntimeException error = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> users().verifyInviteCode(VerifyInviteCodeRequest.newBuilder()
                        .setUserId(userId)
                        .setVerificationCode("wrong")
                        .build()));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription()).isEqualTo("Code is invalid (COMMAND-Wgn4q)");
        com.google.rpc.Status status = io.grpc.protobuf.StatusProto.fromThrowable(error);
        assertThat(status).isNotNull();
        assertThat(status.getCode()).isEqualTo(3);
        assertThat(status.getMessage()).isEqualTo("Code is invalid (COMMAND-Wgn4q)");
        assertThat(status.getDetailsCount()).isEqualTo(1);
        assertThat(status.getDetails(0).getTypeUrl()).isEqualTo("type.googleapis.com/zitadel.v1.ErrorDetail");
    }

    private GetUserByIDResponse getUser(String userId) {
        return users().getUserByID(
                        GetUserByIDRequest.newBuilder().setUserId(userId).build());
    }

    private Failure verifyFails(String userId, String code) {
        StatusRuntimeException error = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> users().verifyInviteCode(VerifyInviteCodeRequest.newBuilder()
                        .setUserId(userId)
                        .setVerificationCode(code)
                        .build()));
        assertThat(error).as("VerifyInviteCode(%s) fails", code).isNotNull();
        return Failure.of(Transport.GRPC, error);
    }
}
