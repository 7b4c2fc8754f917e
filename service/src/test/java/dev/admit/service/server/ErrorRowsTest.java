package dev.admit.service.server;

import static dev.admit.service.server.ServiceClients.ascii;
import static dev.admit.service.server.ServiceClients.bearer;
import static dev.admit.service.server.ServiceClients.emoji;
import static dev.admit.service.server.ServiceClients.freshEmail;
import static dev.admit.service.server.ServiceClients.freshOrgId;
import static dev.admit.service.server.ServiceClients.freshUserId;
import static dev.admit.service.server.ServiceClients.newHuman;
import static dev.admit.service.server.ServiceClients.returnCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.admit.api.server.AdmitServer;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.server.ServiceClients.Answer;
import dev.admit.service.server.ServiceClients.Apis;
import dev.admit.service.server.ServiceClients.Failure;
import dev.admit.service.server.ServiceClients.JsonClient;
import dev.admit.service.server.ServiceClients.JsonResponse;
import dev.admit.service.server.ServiceClients.Tokens;
import dev.admit.service.server.ServiceClients.Transport;
import dev.admit.service.server.ServiceClients.UserApi;
import dev.admit.spring.boot.AdmitProperties;
import dev.admit.wire.object.v2.Organization;
import dev.admit.wire.user.v2.AddHumanUserRequest;
import dev.admit.wire.user.v2.AddHumanUserResponse;
import dev.admit.wire.user.v2.CreateInviteCodeRequest;
import dev.admit.wire.user.v2.IDPLink;
import dev.admit.wire.user.v2.ReturnEmailVerificationCode;
import dev.admit.wire.user.v2.SendEmailVerificationCode;
import dev.admit.wire.user.v2.SendInviteCode;
import dev.admit.wire.user.v2.SetHumanPhone;
import dev.admit.wire.user.v2.SetMetadataEntry;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every error row of behaviour.md §3–§5, on each transport (gRPC, gRPC-web and JSON): who may call, the wire
 * contract's limits (in code points), missing and foreign users, clashes, unsupported fields and RPCs, missing
 * codes, and the JSON routing errors. Where a rule says "nothing appended", the user's sequence is read back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorRowsTest extends AdmitContextTest {

    @Autowired
    AdmitServer server;

    @Autowired
    AdmitProperties properties;

    private Apis apis;
    private JsonClient http;
    private Tokens tokens;
    private String admin;

    @BeforeAll
    void connect() {
        apis = new Apis(server.port());
        http = new JsonClient(server.port());
        tokens = Tokens.of(properties);
        admin = bearer(tokens.admin());
    }

    @AfterAll
    void disconnect() {
        if (apis != null) {
            apis.close();
        }
    }

    /** A user with a returned (active) invite code: its stream holds 2 events. */
    private record Invited(String userId, String orgId, String code) {}

    private String newUser(UserApi api, String org) {
        return api.addHumanUser(admin, newHuman(org).build()).ok().getUserId();
    }

    private Invited newInvitedUser(UserApi api) {
        String org = freshOrgId();
        String userId = newUser(api, org);
        String code = api.createInviteCode(admin, returnCode(userId)).ok().getInviteCode();
        return new Invited(userId, org, code);
    }

    private long sequenceOf(UserApi api, String userId) {
        return api.getUserById(admin, userId).ok().getDetails().getSequence();
    }

    // --- 401: no or invalid bearer token

    @ParameterizedTest
    @EnumSource(Transport.class)
    void every_rpc_without_a_token_is_unauthenticated(Transport transport) {
        UserApi api = apis.over(transport);
        Invited user = newInvitedUser(api);

        api.addHumanUser(null, newHuman(freshOrgId()).build()).error().isUnauthenticated();
        api.getUserById(null, user.userId()).error().isUnauthenticated();
        api.createInviteCode(null, returnCode(user.userId())).error().isUnauthenticated();
        api.resendInviteCode(null, user.userId()).error().isUnauthenticated();
        api.verifyInviteCode(null, user.userId(), user.code()).error().isUnauthenticated();
        api.setPassword(null, user.userId(), "Secret-1234").error().isUnauthenticated();

        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_malformed_authorization_header_is_unauthenticated(Transport transport) {
        UserApi api = apis.over(transport);
        Invited user = newInvitedUser(api);
        String token = tokens.admin();

        for (String header : List.of(
                "Bearer", "Bearer not-a-jwt", "Bearer a.b.c", "Basic dXNlcjpwYXNzd29yZA==", token, "Token " + token)) {
            api.verifyInviteCode(header, user.userId(), user.code()).error().isUnauthenticated();
            api.getUserById(header, user.userId()).error().isUnauthenticated();
        }
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_token_with_a_wrong_signature_is_unauthenticated(Transport transport) {
        UserApi api = apis.over(transport);
        Invited user = newInvitedUser(api);
        String forged = bearer(tokens.wrongSignature("user.read", "user.write"));

        api.verifyInviteCode(forged, user.userId(), user.code()).error().isUnauthenticated();
        api.getUserById(forged, user.userId()).error().isUnauthenticated();
        api.addHumanUser(forged, newHuman(freshOrgId()).build()).error().isUnauthenticated();
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void an_expired_token_is_unauthenticated(Transport transport) {
        UserApi api = apis.over(transport);
        Invited user = newInvitedUser(api);
        String expired = bearer(tokens.expired("user.read", "user.write"));

        api.verifyInviteCode(expired, user.userId(), user.code()).error().isUnauthenticated();
        api.getUserById(expired, user.userId()).error().isUnauthenticated();
        api.createInviteCode(expired, returnCode(user.userId())).error().isUnauthenticated();
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_token_of_an_algorithm_the_service_is_not_configured_for_is_unauthenticated(Transport transport) {
        UserApi api = apis.over(transport);
        Invited user = newInvitedUser(api);

        for (String token : List.of(
                tokens.rs256("user.read", "user.write"),
                tokens.es256("user.read", "user.write"),
                tokens.unsigned("user.read", "user.write"))) {
            api.verifyInviteCode(bearer(token), user.userId(), user.code())
                    .error()
                    .isUnauthenticated();
            api.getUserById(bearer(token), user.userId()).error().isUnauthenticated();
        }
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(2);
    }

    // --- 403: the token lacks the permission

    @ParameterizedTest
    @EnumSource(Transport.class)
    void verifying_a_code_needs_user_write_even_for_the_user_itself(Transport transport) {
        UserApi api = apis.over(transport);
        Invited user = newInvitedUser(api);

        for (String token : List.of(
                tokens.token("someone-else", null),
                tokens.token("someone-else", null, "user.read"),
                tokens.token(user.userId(), null),
                tokens.token(user.userId(), null, "user.read"),
                tokens.token(user.userId(), user.orgId(), "user.read"))) {
            api.verifyInviteCode(bearer(token), user.userId(), user.code())
                    .error()
                    .isPermissionDenied();
        }
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(2);

        Answer<?> verified = api.verifyInviteCode(
                bearer(tokens.token("an-operator", null, "user.write")), user.userId(), user.code());
        assertThat(verified.ok()).as("user.write alone may verify").isNotNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void reading_a_user_needs_user_read_or_user_write_or_being_the_user(Transport transport) {
        UserApi api = apis.over(transport);
        Invited user = newInvitedUser(api);

        api.getUserById(bearer(tokens.token("someone-else", null)), user.userId())
                .error()
                .isPermissionDenied();
        api.getUserById(bearer(tokens.token("someone-else", null, "profile", "openid")), user.userId())
                .error()
                .isPermissionDenied();

        assertThat(api.getUserById(bearer(tokens.token("reader", null, "user.read")), user.userId())
                        .ok()
                        .getUser()
                        .getUserId())
                .isEqualTo(user.userId());
        assertThat(api.getUserById(bearer(tokens.token("writer", null, "user.write")), user.userId())
                        .ok()
                        .getUser()
                        .getUserId())
                .isEqualTo(user.userId());
        assertThat(api.getUserById(bearer(tokens.token(user.userId(), null)), user.userId())
                        .ok()
                        .getUser()
                        .getUserId())
                .as("a user may read itself")
                .isEqualTo(user.userId());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void adding_a_user_needs_user_write(Transport transport) {
        UserApi api = apis.over(transport);
        String org = freshOrgId();
        String userId = freshUserId();

        api.addHumanUser(
                        bearer(tokens.token("reader", null, "user.read")),
                        newHuman(org).setUserId(userId).build())
                .error()
                .isPermissionDenied();
        api.addHumanUser(
                        bearer(tokens.token("nobody", null)),
                        newHuman(org).setUserId(userId).build())
                .error()
                .isPermissionDenied();

        api.getUserById(admin, userId).error().isCode(Status.Code.NOT_FOUND, "User could not be found");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void creating_or_resending_a_code_for_another_user_needs_user_write(Transport transport) {
        UserApi api = apis.over(transport);
        Invited user = newInvitedUser(api);

        for (String token :
                List.of(tokens.token("someone-else", null), tokens.token("someone-else", null, "user.read"))) {
            api.createInviteCode(bearer(token), returnCode(user.userId()))
                    .error()
                    .isPermissionDenied();
            api.resendInviteCode(bearer(token), user.userId()).error().isPermissionDenied();
        }
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_user_may_create_and_resend_its_own_invite_code_and_read_itself_but_not_verify(Transport transport) {
        UserApi api = apis.over(transport);
        String org = freshOrgId();
        String userId = newUser(api, org);
        String self = bearer(tokens.token(userId, org));

        var returned = api.createInviteCode(self, returnCode(userId)).ok();
        assertThat(returned.getDetails().getSequence()).isEqualTo(2);
        assertThat(api.getUserById(self, userId).ok().getDetails().getSequence())
                .isEqualTo(2);
        api.verifyInviteCode(self, userId, returned.getInviteCode()).error().isPermissionDenied();

        var mailed = api.createInviteCode(
                        self,
                        CreateInviteCodeRequest.newBuilder()
                                .setUserId(userId)
                                .setSendCode(SendInviteCode.newBuilder()
                                        .setApplicationName("Self Service")
                                        .setUrlTemplate("https://example.com/invite?user={{.UserID}}&code={{.Code}}"))
                                .build())
                .ok();
        assertThat(mailed.hasInviteCode()).as("a mailed code is not returned").isFalse();
        assertThat(mailed.getDetails().getSequence()).isEqualTo(3);

        var resent = api.resendInviteCode(self, userId).ok();
        assertThat(resent.getDetails().getSequence()).isGreaterThan(3);
        assertThat(resent.getDetails().getResourceOwner()).isEqualTo(org);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_token_limited_to_an_organization_may_not_add_a_user_to_another(Transport transport) {
        UserApi api = apis.over(transport);
        String tokenOrg = freshOrgId();
        String otherOrg = freshOrgId();
        String userId = freshUserId();
        String limited = bearer(tokens.token("org-admin", tokenOrg, "user.read", "user.write"));

        api.addHumanUser(limited, newHuman(otherOrg).setUserId(userId).build())
                .error()
                .isPermissionDenied();

        api.getUserById(admin, userId).error().isCode(Status.Code.NOT_FOUND, "User could not be found");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_token_limited_to_an_organization_adds_users_to_that_organization(Transport transport) {
        UserApi api = apis.over(transport);
        String tokenOrg = freshOrgId();
        String limited = bearer(tokens.token("org-admin", tokenOrg, "user.read", "user.write"));

        AddHumanUserResponse implicit =
                api.addHumanUser(limited, newHuman(null).build()).ok();
        assertThat(implicit.getDetails().getResourceOwner()).isEqualTo(tokenOrg);
        assertThat(api.getUserById(admin, implicit.getUserId())
                        .ok()
                        .getDetails()
                        .getResourceOwner())
                .isEqualTo(tokenOrg);

        AddHumanUserResponse explicit =
                api.addHumanUser(limited, newHuman(tokenOrg).build()).ok();
        assertThat(explicit.getDetails().getResourceOwner()).isEqualTo(tokenOrg);
    }

    // --- the order of the checks

    @ParameterizedTest
    @EnumSource(Transport.class)
    void verify_checks_the_token_then_the_permission_then_the_limits_then_the_user(Transport transport) {
        UserApi api = apis.over(transport);
        String missing = freshUserId();
        String tooLong = ascii(21);
        String reader = bearer(tokens.token("reader", null, "user.read"));

        api.verifyInviteCode(null, missing, tooLong).error().isUnauthenticated();
        api.verifyInviteCode(reader, missing, tooLong).error().isPermissionDenied();
        api.verifyInviteCode(admin, missing, tooLong)
                .error()
                .isValidationError("VerifyInviteCodeRequest.verification_code", "20");
        api.verifyInviteCode(admin, missing, "ABCDEF")
                .error()
                .is(Status.Code.NOT_FOUND, "COMMAND-F5g2h", "User could not be found");
    }

    /**
     * behaviour.md §3 CreateInviteCode: "1. 401 / validation (user_id 1..200; send_code.url_template and
     * send_code.application_name 1..200 when present)" comes before "2. Caller needs user.write … Otherwise 403".
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void create_checks_every_limit_before_the_permission(Transport transport) {
        UserApi api = apis.over(transport);
        String userId = newUser(api, freshOrgId());
        String stranger = bearer(tokens.token("stranger", null));

        api.createInviteCode(stranger, returnCode(ascii(201)))
                .error()
                .isValidationError("CreateInviteCodeRequest.user_id", "200");
        api.createInviteCode(
                        stranger,
                        CreateInviteCodeRequest.newBuilder()
                                .setUserId(userId)
                                .setSendCode(SendInviteCode.newBuilder().setApplicationName(ascii(201)))
                                .build())
                .error()
                .isValidationError("SendInviteCode.application_name", "200");
        api.createInviteCode(
                        stranger,
                        CreateInviteCodeRequest.newBuilder()
                                .setUserId(userId)
                                .setSendCode(SendInviteCode.newBuilder().setUrlTemplate(""))
                                .build())
                .error()
                .isValidationError("SendInviteCode.url_template", "between 1 and 200");
    }

    // --- failed attempts

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_code_survives_two_failed_attempts_and_dies_on_the_third(Transport transport) {
        UserApi api = apis.over(transport);

        Invited twice = newInvitedUser(api);
        for (int attempt = 1; attempt <= 2; attempt++) {
            api.verifyInviteCode(admin, twice.userId(), ServiceClients.wrongCodeFor(twice.code()))
                    .error()
                    .is(Status.Code.INVALID_ARGUMENT, "COMMAND-Wgn4q", "Code is invalid");
        }
        assertThat(api.verifyInviteCode(admin, twice.userId(), twice.code())
                        .ok()
                        .getDetails()
                        .getSequence())
                .isEqualTo(6);

        Invited thrice = newInvitedUser(api);
        for (int attempt = 1; attempt <= 3; attempt++) {
            api.verifyInviteCode(admin, thrice.userId(), ServiceClients.wrongCodeFor(thrice.code()))
                    .error()
                    .is(Status.Code.INVALID_ARGUMENT, "COMMAND-Wgn4q", "Code is invalid");
        }
        api.verifyInviteCode(admin, thrice.userId(), thrice.code())
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "COMMAND-Wgn4q", "Code is invalid");
        assertThat(sequenceOf(api, thrice.userId()))
                .as("every failure is stored")
                .isEqualTo(6);
        assertThat(api.getUserById(admin, thrice.userId())
                        .ok()
                        .getUser()
                        .getHuman()
                        .getEmail()
                        .getIsVerified())
                .isFalse();
    }

    // --- 400: the wire contract's limits, in code points

    @ParameterizedTest
    @EnumSource(Transport.class)
    void every_user_id_is_1_to_200_code_points(Transport transport) {
        UserApi api = apis.over(transport);
        Map<String, Function<String, Answer<?>>> rpcs = new LinkedHashMap<>();
        rpcs.put("GetUserByIDRequest", id -> api.getUserById(admin, id));
        rpcs.put("CreateInviteCodeRequest", id -> api.createInviteCode(admin, returnCode(id)));
        rpcs.put("ResendInviteCodeRequest", id -> api.resendInviteCode(admin, id));
        rpcs.put("VerifyInviteCodeRequest", id -> api.verifyInviteCode(admin, id, "ABCDEF"));

        rpcs.forEach((request, rpc) -> {
            rpc.apply(ascii(201)).error().isValidationError(request + ".user_id", "200");
            rpc.apply(emoji(201)).error().isValidationError(request + ".user_id", "200");
            // 200 emoji are 800 UTF-8 bytes and 400 UTF-16 chars, but only 200 code points: valid, and missing
            rpc.apply(emoji(200)).error().isCode(Status.Code.NOT_FOUND, "User could not be found");
            rpc.apply(ascii(200)).error().isCode(Status.Code.NOT_FOUND, "User could not be found");
        });
    }

    @ParameterizedTest
    @EnumSource(
            value = Transport.class,
            names = {"GRPC", "GRPC_WEB"})
    void an_empty_user_id_is_invalid(Transport transport) {
        UserApi api = apis.over(transport);

        api.getUserById(admin, "").error().isValidationError("GetUserByIDRequest.user_id", "between 1 and 200");
        api.createInviteCode(admin, returnCode(""))
                .error()
                .isValidationError("CreateInviteCodeRequest.user_id", "between 1 and 200");
        api.resendInviteCode(admin, "")
                .error()
                .isValidationError("ResendInviteCodeRequest.user_id", "between 1 and 200");
        api.verifyInviteCode(admin, "", "ABCDEF")
                .error()
                .isValidationError("VerifyInviteCodeRequest.user_id", "between 1 and 200");
        api.addHumanUser(admin, newHuman(freshOrgId()).setUserId("").build())
                .error()
                .isValidationError("AddHumanUserRequest.user_id", "between 1 and 200");
    }

    @Test
    void over_json_an_empty_user_id_in_the_path_is_refused_without_looking_up_a_user() {
        for (String path : List.of("/v2/users//invite_code/verify", "/v2/users//invite_code")) {
            JsonResponse response = http.post(path, admin, "{\"verificationCode\":\"ABCDEF\"}");
            Failure failure = Failure.of(response);
            assertThat(failure.code())
                    .as("%s answered %s", path, response.body())
                    .isIn(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND, Status.Code.UNIMPLEMENTED);
            assertThat(failure.details().stream().map(d -> d.getId()))
                    .as("never looked up as a user: %s", response.body())
                    .doesNotContain("COMMAND-F5g2h", "COMMAND-Wgvn4");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_new_users_id_and_username_are_1_to_200_code_points(Transport transport) {
        UserApi api = apis.over(transport);
        String org = freshOrgId();

        api.addHumanUser(admin, newHuman(org).setUserId(ascii(201)).build())
                .error()
                .isValidationError("AddHumanUserRequest.user_id", "200");
        api.addHumanUser(admin, newHuman(org).setUserId(emoji(201)).build())
                .error()
                .isValidationError("AddHumanUserRequest.user_id", "200");
        api.addHumanUser(admin, newHuman(org).setUsername(emoji(201)).build())
                .error()
                .isValidationError("AddHumanUserRequest.username", "200");
        api.addHumanUser(admin, newHuman(org).setUsername("").build())
                .error()
                .isValidationError("AddHumanUserRequest.username", "between 1 and 200");

        String longId = emoji(200);
        String longUsername = emoji(200);
        AddHumanUserResponse added = api.addHumanUser(
                        admin,
                        newHuman(org)
                                .setUserId(longId)
                                .setUsername(longUsername)
                                .build())
                .ok();
        assertThat(added.getUserId()).isEqualTo(longId);
        var read = api.getUserById(admin, longId).ok().getUser();
        assertThat(read.getUserId()).isEqualTo(longId);
        assertThat(read.getUsername()).isEqualTo(longUsername);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_verification_code_is_1_to_20_code_points(Transport transport) {
        UserApi api = apis.over(transport);
        Invited user = newInvitedUser(api);

        api.verifyInviteCode(admin, user.userId(), "")
                .error()
                .isValidationError("VerifyInviteCodeRequest.verification_code", "between 1 and 20");
        api.verifyInviteCode(admin, user.userId(), ascii(21))
                .error()
                .isValidationError("VerifyInviteCodeRequest.verification_code", "20");
        api.verifyInviteCode(admin, user.userId(), emoji(21))
                .error()
                .isValidationError("VerifyInviteCodeRequest.verification_code", "20");
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(2);

        // 20 emoji are 80 UTF-8 bytes but 20 code points: a valid request, and simply the wrong code
        api.verifyInviteCode(admin, user.userId(), emoji(20))
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "COMMAND-Wgn4q", "Code is invalid");
        assertThat(sequenceOf(api, user.userId()))
                .as("the failed attempt is stored")
                .isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_mailed_codes_url_template_and_application_name_are_1_to_200_code_points(Transport transport) {
        UserApi api = apis.over(transport);
        String userId = newUser(api, freshOrgId());
        Function<SendInviteCode.Builder, Answer<?>> send = sendCode -> api.createInviteCode(
                admin,
                CreateInviteCodeRequest.newBuilder()
                        .setUserId(userId)
                        .setSendCode(sendCode)
                        .build());
        String placeholders = "?u={{.UserID}}&c={{.Code}}&o={{.OrgID}}";
        String prefix = "https://example.com/";

        send.apply(SendInviteCode.newBuilder()
                        .setUrlTemplate(prefix + ascii(201 - prefix.length() - placeholders.length()) + placeholders))
                .error()
                .isValidationError("SendInviteCode.url_template", "200");
        send.apply(SendInviteCode.newBuilder().setUrlTemplate(""))
                .error()
                .isValidationError("SendInviteCode.url_template", "between 1 and 200");
        send.apply(SendInviteCode.newBuilder().setApplicationName(emoji(201)))
                .error()
                .isValidationError("SendInviteCode.application_name", "200");
        send.apply(SendInviteCode.newBuilder().setApplicationName(""))
                .error()
                .isValidationError("SendInviteCode.application_name", "between 1 and 200");
        assertThat(sequenceOf(api, userId)).as("nothing appended").isEqualTo(1);

        assertThat(send.apply(SendInviteCode.newBuilder()
                                .setUrlTemplate(
                                        prefix + ascii(200 - prefix.length() - placeholders.length()) + placeholders)
                                .setApplicationName(emoji(200)))
                        .ok())
                .as("exactly 200 code points each are accepted")
                .isNotNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_url_template_with_another_placeholder_or_malformed_is_invalid(Transport transport) {
        UserApi api = apis.over(transport);
        String userId = newUser(api, freshOrgId());

        for (String template : List.of(
                "https://example.com/invite?code={{.Password}}",
                "https://example.com/invite?code={{.Code}",
                "https://example.com/invite?code={{.Code}}&x={{",
                "https://example.com/{{ printf \"%s\" .Code }}")) {
            api.createInviteCode(
                            admin,
                            CreateInviteCodeRequest.newBuilder()
                                    .setUserId(userId)
                                    .setSendCode(SendInviteCode.newBuilder().setUrlTemplate(template))
                                    .build())
                    .error()
                    .is(Status.Code.INVALID_ARGUMENT, "DOMAIN-oGh5e", "URL Template is invalid");
        }
        assertThat(sequenceOf(api, userId)).as("nothing appended").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_new_users_profile_and_email_follow_the_wire_contract(Transport transport) {
        UserApi api = apis.over(transport);
        String org = freshOrgId();
        Map<UnaryOperator<AddHumanUserRequest.Builder>, String[]> invalid = new LinkedHashMap<>();
        invalid.put(r -> r.clearProfile(), new String[] {"profile", "required"});
        invalid.put(r -> r.clearEmail(), new String[] {"email", "required"});
        invalid.put(r -> r.setProfile(r.getProfile().toBuilder().setGivenName("")), new String[] {"given_name", "200"});
        invalid.put(
                r -> r.setProfile(r.getProfile().toBuilder().setGivenName(emoji(201))),
                new String[] {"given_name", "200"});
        invalid.put(
                r -> r.setProfile(r.getProfile().toBuilder().setFamilyName("")), new String[] {"family_name", "200"});
        invalid.put(
                r -> r.setProfile(r.getProfile().toBuilder().setFamilyName(emoji(201))),
                new String[] {"family_name", "200"});
        invalid.put(
                r -> r.setProfile(r.getProfile().toBuilder().setDisplayName(emoji(201))),
                new String[] {"display_name", "200"});
        invalid.put(
                r -> r.setProfile(r.getProfile().toBuilder().setPreferredLanguage(ascii(11))),
                new String[] {"preferred_language", "10"});
        invalid.put(r -> r.setEmail(r.getEmail().toBuilder().setEmail("")), new String[] {"email"});
        invalid.put(r -> r.setEmail(r.getEmail().toBuilder().setEmail("not-an-email")), new String[] {"email"});
        invalid.put(r -> r.setEmail(r.getEmail().toBuilder().setEmail("two@@example.com")), new String[] {"email"});
        // a well-formed address of 201 code points: "a@" + three 63-letter labels + ".example"
        String label = "x".repeat(63);
        invalid.put(
                r -> r.setEmail(
                        r.getEmail().toBuilder().setEmail("a@" + label + "." + label + "." + label + ".example")),
                new String[] {"email", "200"});

        invalid.forEach((change, fragments) -> {
            String userId = freshUserId();
            AddHumanUserRequest request =
                    change.apply(newHuman(org).setUserId(userId)).build();
            api.addHumanUser(admin, request).error().isCode(Status.Code.INVALID_ARGUMENT, fragments);
            api.getUserById(admin, userId).error().isCode(Status.Code.NOT_FOUND, "User could not be found");
        });

        String userId = freshUserId();
        api.addHumanUser(
                        admin,
                        newHuman(org)
                                .setUserId(userId)
                                .setProfile(newHuman(org).getProfile().toBuilder()
                                        .setGivenName(emoji(200))
                                        .setFamilyName(emoji(200))
                                        .setDisplayName(emoji(200))
                                        .setPreferredLanguage(emoji(10)))
                                .build())
                .ok();
        assertThat(api.getUserById(admin, userId)
                        .ok()
                        .getUser()
                        .getHuman()
                        .getProfile()
                        .getGivenName())
                .hasSize(400);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void an_organization_by_domain_is_not_supported(Transport transport) {
        UserApi api = apis.over(transport);

        api.addHumanUser(
                        admin,
                        newHuman(null)
                                .setOrganization(Organization.newBuilder().setOrgDomain("example.com"))
                                .build())
                .error()
                .isCode(Status.Code.INVALID_ARGUMENT, "org_domain", "not supported");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_token_for_every_organization_must_name_the_organization_of_a_new_user(Transport transport) {
        UserApi api = apis.over(transport);

        api.addHumanUser(admin, newHuman(null).build()).error().isCode(Status.Code.INVALID_ARGUMENT, "org_id");
    }

    // --- 404: missing users, and users outside the token's organization

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_missing_user_is_not_found(Transport transport) {
        UserApi api = apis.over(transport);
        String missing = freshUserId();

        api.verifyInviteCode(admin, missing, "ABCDEF")
                .error()
                .is(Status.Code.NOT_FOUND, "COMMAND-F5g2h", "User could not be found");
        api.createInviteCode(admin, returnCode(missing))
                .error()
                .is(Status.Code.NOT_FOUND, "COMMAND-Wgvn4", "User could not be found");
        api.resendInviteCode(admin, missing)
                .error()
                .is(Status.Code.NOT_FOUND, "COMMAND-Wgvn4", "User could not be found");
        api.getUserById(admin, missing).error().isCode(Status.Code.NOT_FOUND, "User could not be found");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_user_outside_the_tokens_organization_is_not_found(Transport transport) {
        UserApi api = apis.over(transport);
        Invited user = newInvitedUser(api);
        String foreign = bearer(tokens.token("other-org-admin", freshOrgId(), "user.read", "user.write"));

        api.verifyInviteCode(foreign, user.userId(), user.code())
                .error()
                .is(Status.Code.NOT_FOUND, "COMMAND-F5g2h", "User could not be found");
        api.createInviteCode(foreign, returnCode(user.userId()))
                .error()
                .is(Status.Code.NOT_FOUND, "COMMAND-Wgvn4", "User could not be found");
        api.resendInviteCode(foreign, user.userId())
                .error()
                .is(Status.Code.NOT_FOUND, "COMMAND-Wgvn4", "User could not be found");
        api.getUserById(foreign, user.userId()).error().isCode(Status.Code.NOT_FOUND, "User could not be found");
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(2);

        String own = bearer(tokens.token("own-org-admin", user.orgId(), "user.read", "user.write"));
        assertThat(api.verifyInviteCode(own, user.userId(), user.code())
                        .ok()
                        .getDetails()
                        .getSequence())
                .as("the code is still the active one")
                .isEqualTo(4);
    }

    // --- 409: clashes

    @ParameterizedTest
    @EnumSource(Transport.class)
    void adding_a_user_with_an_existing_id_is_already_exists(Transport transport) {
        UserApi api = apis.over(transport);
        String org = freshOrgId();
        String userId = freshUserId();
        api.addHumanUser(admin, newHuman(org).setUserId(userId).build()).ok();

        api.addHumanUser(admin, newHuman(org).setUserId(userId).build())
                .error()
                .is(Status.Code.ALREADY_EXISTS, "COMMAND-7yiox1isql", "User already exists");
        api.addHumanUser(admin, newHuman(freshOrgId()).setUserId(userId).build())
                .error()
                .is(Status.Code.ALREADY_EXISTS, "COMMAND-7yiox1isql", "User already exists");
        assertThat(sequenceOf(api, userId)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_username_taken_in_the_organization_is_already_exists(Transport transport) {
        UserApi api = apis.over(transport);
        String org = freshOrgId();
        String username = "ada-" + freshUserId();
        api.addHumanUser(admin, newHuman(org).setUsername(username).build()).ok();

        String clashing = freshUserId();
        api.addHumanUser(
                        admin,
                        newHuman(org).setUserId(clashing).setUsername(username).build())
                .error()
                .is(Status.Code.ALREADY_EXISTS, "USER-Unq4e", "Username is already taken in this organization");
        api.getUserById(admin, clashing).error().isCode(Status.Code.NOT_FOUND, "User could not be found");

        // the default username is the email
        String email = freshEmail();
        api.addHumanUser(
                        admin,
                        newHuman(org)
                                .setEmail(newHuman(org).getEmail().toBuilder().setEmail(email))
                                .build())
                .ok();
        api.addHumanUser(
                        admin,
                        newHuman(org)
                                .setEmail(newHuman(org).getEmail().toBuilder().setEmail(email))
                                .build())
                .error()
                .is(Status.Code.ALREADY_EXISTS, "USER-Unq4e", "Username is already taken in this organization");

        // unique within the organization only
        assertThat(api.addHumanUser(
                                admin,
                                newHuman(freshOrgId()).setUsername(username).build())
                        .ok()
                        .getDetails()
                        .getSequence())
                .isEqualTo(1);
    }

    // --- 501: what this service does not do yet

    static Stream<Arguments> unsupportedFields() {
        Map<String, UnaryOperator<AddHumanUserRequest.Builder>> fields = new LinkedHashMap<>();
        fields.put(
                "idp_links",
                r -> r.addIdpLinks(IDPLink.newBuilder()
                        .setIdpId("idp-1")
                        .setUserId("external-1")
                        .setUserName("ada@idp.example.com")));
        fields.put("totp_secret", r -> r.setTotpSecret("JBSWY3DPEHPK3PXP"));
        fields.put("phone", r -> r.setPhone(SetHumanPhone.newBuilder().setPhone("+41791234567")));
        fields.put(
                "metadata",
                r -> r.addMetadata(
                        SetMetadataEntry.newBuilder().setKey("team").setValue(ByteString.copyFromUtf8("blue"))));
        fields.put(
                "email.send_code",
                r -> r.setEmail(r.getEmail().toBuilder().setSendCode(SendEmailVerificationCode.getDefaultInstance())));
        fields.put(
                "email.return_code",
                r -> r.setEmail(
                        r.getEmail().toBuilder().setReturnCode(ReturnEmailVerificationCode.getDefaultInstance())));
        List<Arguments> arguments = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            fields.forEach((field, change) -> arguments.add(Arguments.of(transport, field, change)));
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("unsupportedFields")
    void a_field_this_service_does_not_support_is_unimplemented_and_never_ignored(
            Transport transport, String field, UnaryOperator<AddHumanUserRequest.Builder> change) {
        UserApi api = apis.over(transport);
        String userId = freshUserId();

        api.addHumanUser(
                        admin,
                        change.apply(newHuman(freshOrgId()).setUserId(userId)).build())
                .error()
                .isCode(Status.Code.UNIMPLEMENTED, field);

        api.getUserById(admin, userId).error().isCode(Status.Code.NOT_FOUND, "User could not be found");
    }

    // --- FAILED_PRECONDITION

    @ParameterizedTest
    @EnumSource(Transport.class)
    void resending_needs_an_active_mailed_code(Transport transport) {
        UserApi api = apis.over(transport);

        String withoutCode = newUser(api, freshOrgId());
        api.resendInviteCode(admin, withoutCode)
                .error()
                .is(Status.Code.FAILED_PRECONDITION, "COMMAND-Wr3gq", "Code not found");
        assertThat(sequenceOf(api, withoutCode)).as("nothing appended").isEqualTo(1);

        Invited returned = newInvitedUser(api);
        api.resendInviteCode(admin, returned.userId())
                .error()
                .is(Status.Code.FAILED_PRECONDITION, "COMMAND-Wr3gq", "Code not found");

        api.verifyInviteCode(admin, returned.userId(), returned.code()).ok();
        api.resendInviteCode(admin, returned.userId())
                .error()
                .is(Status.Code.FAILED_PRECONDITION, "COMMAND-Wr3gq", "Code not found");
        assertThat(sequenceOf(api, returned.userId())).as("nothing appended").isEqualTo(4);
    }

    // --- JSON routing

    @Test
    void over_json_an_unknown_route_is_404_with_code_5() {
        for (String path : List.of("/v2/nothing", "/v2/users/x/unknown", "/v3/users/human", "/")) {
            JsonResponse response = http.get(path, admin);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(Failure.of(response).code()).as(path).isEqualTo(Status.Code.NOT_FOUND);
        }
        JsonResponse post = http.post("/v2/users/x/invite_code/unknown", admin, "{}");
        assertThat(post.status()).isEqualTo(404);
        assertThat(Failure.of(post).code()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void over_json_a_wrong_method_is_405_with_code_12() {
        String userId = newUser(apis.over(Transport.JSON), freshOrgId());
        for (String[] call : List.of(
                new String[] {"DELETE", "/v2/users/" + userId},
                new String[] {"PUT", "/v2/users/human"},
                new String[] {"GET", "/v2/users/" + userId + "/invite_code/verify"},
                new String[] {"GET", "/v2/users/" + userId + "/invite_code"},
                new String[] {"PATCH", "/v2/users/" + userId + "/invite_code/resend"})) {
            JsonResponse response = http.send(call[0], call[1], admin, null, null);
            assertThat(response.status())
                    .as("%s %s: %s", call[0], call[1], response.body())
                    .isEqualTo(405);
            assertThat(Failure.of(response).code()).isEqualTo(Status.Code.UNIMPLEMENTED);
        }
        assertThat(sequenceOf(apis.over(Transport.JSON), userId)).isEqualTo(1);
    }

    @Test
    void over_json_a_malformed_body_is_400_with_code_3() {
        UserApi api = apis.over(Transport.JSON);
        Invited user = newInvitedUser(api);
        for (String body :
                List.of("{not json", "[1,2]", "{\"verificationCode\":42", "{\"verificationCode\":{\"nested\":true}}")) {
            JsonResponse response = http.post("/v2/users/" + user.userId() + "/invite_code/verify", admin, body);
            assertThat(response.status()).as("%s: %s", body, response.body()).isEqualTo(400);
            Failure failure = Failure.of(response);
            assertThat(failure.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(failure.message()).as("no parser output leaks").doesNotContain("Exception", "at com.");
        }
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(2);
    }
}
