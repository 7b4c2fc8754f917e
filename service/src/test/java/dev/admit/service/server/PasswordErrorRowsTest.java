package dev.admit.service.server;

import static dev.admit.service.server.ServiceClients.ascii;
import static dev.admit.service.server.ServiceClients.bearer;
import static dev.admit.service.server.ServiceClients.emoji;
import static dev.admit.service.server.ServiceClients.freshOrgId;
import static dev.admit.service.server.ServiceClients.freshUserId;
import static dev.admit.service.server.ServiceClients.newHuman;
import static dev.admit.service.server.ServiceClients.storedEventTypes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.api.server.AdmitServer;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.server.ServiceClients.Apis;
import dev.admit.service.server.ServiceClients.Tokens;
import dev.admit.service.server.ServiceClients.Transport;
import dev.admit.service.server.ServiceClients.UserApi;
import dev.admit.spring.boot.AdmitProperties;
import dev.admit.wire.user.v2.AuthenticationMethodType;
import dev.admit.wire.user.v2.DomainQuery;
import dev.admit.wire.user.v2.HashedPassword;
import dev.admit.wire.user.v2.ListAuthenticationMethodTypesRequest;
import dev.admit.wire.user.v2.ListAuthenticationMethodTypesResponse;
import dev.admit.wire.user.v2.NotificationType;
import dev.admit.wire.user.v2.Password;
import dev.admit.wire.user.v2.PasswordResetRequest;
import dev.admit.wire.user.v2.ReturnPasswordResetCode;
import dev.admit.wire.user.v2.SendPasswordResetLink;
import dev.admit.wire.user.v2.SetPasswordRequest;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The error rows of SetPassword, PasswordReset, ListAuthenticationMethodTypes and AddHumanUser's passwords, on each
 * transport: limits before permissions, who may call, missing and foreign users, the order of SetPassword's checks
 * (user, verification, complexity), and what each refusal records. No answer carries a password or code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasswordErrorRowsTest extends AdmitContextTest {

    private static final String GOOD = "Secret-1234";

    @Autowired
    AdmitServer server;

    @Autowired
    AdmitProperties properties;

    @Autowired
    JdbcTemplate jdbc;

    private Apis apis;
    private Tokens tokens;
    private String admin;

    @BeforeAll
    void connect() {
        apis = new Apis(server.port());
        tokens = Tokens.of(properties);
        admin = bearer(tokens.admin());
    }

    @AfterAll
    void disconnect() {
        if (apis != null) {
            apis.close();
        }
    }

    private record Created(String userId, String orgId) {}

    private Created newUser(UserApi api) {
        String org = freshOrgId();
        return new Created(api.addHumanUser(admin, newHuman(org).build()).ok().getUserId(), org);
    }

    private long sequenceOf(UserApi api, String userId) {
        return api.getUserById(admin, userId).ok().getDetails().getSequence();
    }

    private static SetPasswordRequest.Builder setPassword(String userId, String password) {
        return SetPasswordRequest.newBuilder()
                .setUserId(userId)
                .setNewPassword(Password.newBuilder().setPassword(password));
    }

    private static PasswordResetRequest returnResetCode(String userId) {
        return PasswordResetRequest.newBuilder()
                .setUserId(userId)
                .setReturnCode(ReturnPasswordResetCode.getDefaultInstance())
                .build();
    }

    private static String wrong(String code) {
        return code.equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void without_a_token_every_new_rpc_is_unauthenticated(Transport transport) {
        UserApi api = apis.over(transport);
        Created user = newUser(api);

        api.setPassword(null, user.userId(), GOOD).error().isUnauthenticated();
        api.passwordReset(null, returnResetCode(user.userId())).error().isUnauthenticated();
        api.listAuthenticationMethodTypes(null, user.userId()).error().isUnauthenticated();
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void limits_in_code_points_come_before_the_permission(Transport transport) {
        UserApi api = apis.over(transport);
        Created user = newUser(api);
        String stranger = bearer(tokens.token("stranger", null));

        api.setPassword(stranger, setPassword(ascii(201), GOOD).build())
                .error()
                .isValidationError("SetPasswordRequest.user_id", "200");
        api.setPassword(stranger, setPassword(user.userId(), "").build())
                .error()
                .isValidationError("Password.password", "between 1 and 200");
        api.setPassword(stranger, setPassword(user.userId(), emoji(201)).build())
                .error()
                .isValidationError("Password.password", "200");
        api.setPassword(
                        stranger,
                        setPassword(user.userId(), GOOD)
                                .setCurrentPassword(emoji(201))
                                .build())
                .error()
                .isValidationError("SetPasswordRequest.current_password", "200");
        api.setPassword(
                        stranger,
                        setPassword(user.userId(), GOOD)
                                .setVerificationCode(emoji(21))
                                .build())
                .error()
                .isValidationError("SetPasswordRequest.verification_code", "20");
        api.passwordReset(stranger, returnResetCode(ascii(201)))
                .error()
                .isValidationError("PasswordResetRequest.user_id", "200");
        api.passwordReset(
                        stranger,
                        PasswordResetRequest.newBuilder()
                                .setUserId(user.userId())
                                .setSendLink(SendPasswordResetLink.newBuilder().setUrlTemplate(""))
                                .build())
                .error()
                .isValidationError("SendPasswordResetLink.url_template", "between 1 and 200");
        api.listAuthenticationMethodTypes(stranger, ascii(201))
                .error()
                .isValidationError("ListAuthenticationMethodTypesRequest.user_id", "200");
        api.addHumanUser(
                        admin,
                        newHuman(freshOrgId())
                                .setPassword(Password.newBuilder().setPassword(emoji(201)))
                                .build())
                .error()
                .isValidationError("Password.password", "200");
        api.addHumanUser(
                        admin,
                        newHuman(freshOrgId())
                                .setHashedPassword(HashedPassword.newBuilder().setHash(""))
                                .build())
                .error()
                .isValidationError("HashedPassword.hash", "between 1 and 200");
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(1);

        // 200 code points pass the limit and meet the complexity policy's judgement instead
        api.setPassword(admin, setPassword(user.userId(), emoji(200)).build())
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "DOMAIN-co3Xw", "Password must contain lower case");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void setting_a_password_or_asking_for_a_reset_needs_user_write_or_being_the_user(Transport transport) {
        UserApi api = apis.over(transport);
        Created user = newUser(api);

        for (String token :
                List.of(tokens.token("someone-else", null), tokens.token("someone-else", null, "user.read"))) {
            api.setPassword(bearer(token), user.userId(), GOOD).error().isPermissionDenied();
            api.setPassword(
                            bearer(token),
                            setPassword(user.userId(), GOOD)
                                    .setVerificationCode("ABCDEF")
                                    .build())
                    .error()
                    .isPermissionDenied();
            api.setPassword(
                            bearer(token),
                            setPassword(user.userId(), GOOD)
                                    .setCurrentPassword(GOOD)
                                    .build())
                    .error()
                    .isPermissionDenied();
            api.passwordReset(bearer(token), returnResetCode(user.userId()))
                    .error()
                    .isPermissionDenied();
        }
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(1);

        String self = bearer(tokens.token(user.userId(), user.orgId()));
        assertThat(api.passwordReset(self, returnResetCode(user.userId())).ok().hasVerificationCode())
                .isTrue();
        assertThat(api.setPassword(self, user.userId(), GOOD).ok().getDetails().getSequence())
                .as("the user may set its own password")
                .isEqualTo(3);
        assertThat(api.setPassword(
                                bearer(tokens.token("operator", null, "user.write")), user.userId(), "Another-Secret-5")
                        .ok()
                        .getDetails()
                        .getResourceOwner())
                .isEqualTo(user.orgId());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void listing_methods_needs_user_read_or_being_the_user(Transport transport) {
        UserApi api = apis.over(transport);
        Created user = newUser(api);

        api.listAuthenticationMethodTypes(bearer(tokens.token("someone-else", null)), user.userId())
                .error()
                .isPermissionDenied();
        api.listAuthenticationMethodTypes(bearer(tokens.token("someone-else", null, "openid")), user.userId())
                .error()
                .isPermissionDenied();
        for (String token : List.of(
                tokens.token("reader", null, "user.read"),
                tokens.token("writer", null, "user.write"),
                tokens.token(user.userId(), null))) {
            ListAuthenticationMethodTypesResponse listed = api.listAuthenticationMethodTypes(
                            bearer(token), user.userId())
                    .ok();
            assertThat(listed.getAuthMethodTypesList()).isEmpty();
            assertThat(listed.getDetails().getTotalResult()).isZero();
            assertThat(listed.getDetails().getProcessedSequence()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_missing_or_foreign_user_is_not_found(Transport transport) {
        UserApi api = apis.over(transport);
        String missing = freshUserId();
        Created user = newUser(api);
        String elsewhere = bearer(tokens.token("org-admin", freshOrgId(), "user.read", "user.write"));

        for (String[] call : List.of(new String[] {admin, missing}, new String[] {elsewhere, user.userId()})) {
            api.setPassword(call[0], call[1], GOOD)
                    .error()
                    .is(Status.Code.NOT_FOUND, "COMMAND-Wgvn4", "User could not be found");
            api.setPassword(
                            call[0],
                            setPassword(call[1], GOOD).setCurrentPassword(GOOD).build())
                    .error()
                    .is(Status.Code.NOT_FOUND, "COMMAND-Wgvn4", "User could not be found");
            api.setPassword(
                            call[0],
                            setPassword(call[1], GOOD)
                                    .setVerificationCode("ABCDEF")
                                    .build())
                    .error()
                    .is(Status.Code.NOT_FOUND, "COMMAND-Wgvn4", "User could not be found");
            api.passwordReset(call[0], returnResetCode(call[1]))
                    .error()
                    .is(Status.Code.NOT_FOUND, "COMMAND-Wgvn4", "User could not be found");
            api.listAuthenticationMethodTypes(call[0], call[1])
                    .error()
                    .is(Status.Code.NOT_FOUND, "COMMAND-Wgvn4", "User could not be found");
        }
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(1);
        assertThat(storedEventTypes(jdbc, missing)).as("no stream was started").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_current_password_is_checked_before_the_complexity_and_a_wrong_one_is_recorded(Transport transport) {
        UserApi api = apis.over(transport);
        Created user = newUser(api);

        api.setPassword(
                        admin,
                        setPassword(user.userId(), GOOD)
                                .setCurrentPassword(GOOD)
                                .build())
                .error()
                .is(Status.Code.FAILED_PRECONDITION, "COMMAND-Fds3s", "User has no password");
        assertThat(sequenceOf(api, user.userId())).isEqualTo(1);
        api.setPassword(admin, user.userId(), GOOD).ok();

        api.setPassword(
                        admin,
                        setPassword(user.userId(), "weak")
                                .setCurrentPassword("Not-The-Password-1")
                                .build())
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "COMMAND-3M0fs", "Password is invalid");
        assertThat(storedEventTypes(jdbc, user.userId()))
                .endsWith("user.human.password.changed", "user.human.password.check.failed");
        api.setPassword(
                        admin,
                        setPassword(user.userId(), "weak")
                                .setCurrentPassword(GOOD)
                                .build())
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "DOMAIN-HuJf6", "Password is too short");
        assertThat(sequenceOf(api, user.userId()))
                .as("a refused policy appends nothing")
                .isEqualTo(3);
        assertThat(api.setPassword(
                                admin,
                                setPassword(user.userId(), "Changed-Secret-9")
                                        .setCurrentPassword(GOOD)
                                        .build())
                        .ok()
                        .getDetails()
                        .getSequence())
                .isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void each_complexity_rule_answers_zitadels_id(Transport transport) {
        UserApi api = apis.over(transport);
        Created user = newUser(api);

        api.setPassword(admin, user.userId(), "Sh0rt!")
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "DOMAIN-HuJf6", "Password is too short");
        api.setPassword(admin, user.userId(), "NO-LOWER-1")
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "DOMAIN-co3Xw", "Password must contain lower case");
        api.setPassword(admin, user.userId(), "no-upper-1")
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "DOMAIN-VoaRj", "Password must contain upper case");
        api.setPassword(admin, user.userId(), "No-Number-x")
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "DOMAIN-ZBv4H", "Password must contain number");
        api.setPassword(admin, user.userId(), "NoSymbol12")
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "DOMAIN-ZDLwA", "Password must contain symbol");
        api.addHumanUser(
                        admin,
                        newHuman(freshOrgId())
                                .setUserId(user.userId() + "-2")
                                .setPassword(Password.newBuilder().setPassword("NoSymbol12"))
                                .build())
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "DOMAIN-ZDLwA", "Password must contain symbol");
        api.addHumanUser(
                        admin,
                        newHuman(freshOrgId())
                                .setUserId(user.userId() + "-3")
                                .setHashedPassword(HashedPassword.newBuilder().setHash("plain-text-is-no-hash"))
                                .build())
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "USER-JDk4t", "Password hash encoding is not supported");
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(1);
        api.getUserById(admin, user.userId() + "-2").error().isCode(Status.Code.NOT_FOUND, "User could not be found");
        api.getUserById(admin, user.userId() + "-3").error().isCode(Status.Code.NOT_FOUND, "User could not be found");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_reset_code_is_checked_before_the_complexity_and_failures_are_recorded_and_limited(Transport transport) {
        UserApi api = apis.over(transport);
        Created user = newUser(api);

        api.setPassword(
                        admin,
                        setPassword(user.userId(), GOOD)
                                .setVerificationCode("ABCDEF")
                                .build())
                .error()
                .is(Status.Code.FAILED_PRECONDITION, "COMMAND-2M9fs", "Code not found");
        String code =
                api.passwordReset(admin, returnResetCode(user.userId())).ok().getVerificationCode();
        assertThat(code).hasSize(6);

        api.setPassword(
                        admin,
                        setPassword(user.userId(), "weak")
                                .setVerificationCode(wrong(code))
                                .build())
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "CODE-woT0xc", "Code is invalid");
        api.setPassword(
                        admin,
                        setPassword(user.userId(), "weak")
                                .setVerificationCode(code)
                                .build())
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "DOMAIN-HuJf6", "Password is too short");
        api.setPassword(
                        admin,
                        setPassword(user.userId(), GOOD)
                                .setVerificationCode(wrong(code))
                                .build())
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "CODE-woT0xc", "Code is invalid");
        // the decision uses the state before the attempt: after two failures the right code still works
        assertThat(api.setPassword(
                                admin,
                                setPassword(user.userId(), GOOD)
                                        .setVerificationCode(code)
                                        .build())
                        .ok()
                        .getDetails()
                        .getSequence())
                .isEqualTo(6);
        api.setPassword(
                        admin,
                        setPassword(user.userId(), GOOD)
                                .setVerificationCode(code)
                                .build())
                .error()
                .is(Status.Code.FAILED_PRECONDITION, "ADMIT-Pw7cu", "Code has already been used");
        assertThat(storedEventTypes(jdbc, user.userId()))
                .containsExactly(
                        "user.human.added",
                        "user.human.password.code.check.failed",
                        "user.human.password.code.added",
                        "user.human.password.code.check.failed",
                        "user.human.password.code.check.failed",
                        "user.human.password.changed",
                        "user.human.password.code.check.failed");

        String second =
                api.passwordReset(admin, returnResetCode(user.userId())).ok().getVerificationCode();
        for (int attempt = 0; attempt < 3; attempt++) {
            api.setPassword(
                            admin,
                            setPassword(user.userId(), GOOD)
                                    .setVerificationCode(wrong(second))
                                    .build())
                    .error()
                    .is(Status.Code.INVALID_ARGUMENT, "CODE-woT0xc", "Code is invalid");
        }
        api.setPassword(
                        admin,
                        setPassword(user.userId(), GOOD)
                                .setVerificationCode(second)
                                .build())
                .error()
                .is(Status.Code.FAILED_PRECONDITION, "COMMAND-2M9fs", "Code not found");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_reset_by_sms_or_with_a_bad_template_is_refused_after_the_user_was_found(Transport transport) {
        UserApi api = apis.over(transport);
        Created user = newUser(api);

        api.passwordReset(
                        admin,
                        PasswordResetRequest.newBuilder()
                                .setUserId(freshUserId())
                                .setSendLink(SendPasswordResetLink.newBuilder()
                                        .setNotificationType(NotificationType.NOTIFICATION_TYPE_SMS))
                                .build())
                .error()
                .is(Status.Code.NOT_FOUND, "COMMAND-Wgvn4", "User could not be found");
        api.passwordReset(
                        admin,
                        PasswordResetRequest.newBuilder()
                                .setUserId(user.userId())
                                .setSendLink(SendPasswordResetLink.newBuilder()
                                        .setNotificationType(NotificationType.NOTIFICATION_TYPE_SMS))
                                .build())
                .error()
                .is(Status.Code.UNIMPLEMENTED, "ADMIT-Pw2sm", "Password reset codes can only be sent by email");
        api.passwordReset(
                        admin,
                        PasswordResetRequest.newBuilder()
                                .setUserId(user.userId())
                                .setSendLink(SendPasswordResetLink.newBuilder()
                                        .setUrlTemplate("https://app.example/reset?c={{.Code}}&p={{.Password}}"))
                                .build())
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "DOMAIN-oGh5e", "URL Template is invalid");
        assertThat(sequenceOf(api, user.userId())).as("nothing appended").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_domain_query_lists_passkeys_only_with_include_without_domain(Transport transport) {
        UserApi api = apis.over(transport);
        Created user = newUser(api);
        api.setPassword(admin, user.userId(), GOOD).ok();

        if (transport != Transport.JSON) {
            // a GET's query string cannot tell an empty domain from no domain query at all
            api.listAuthenticationMethodTypes(
                            admin,
                            ListAuthenticationMethodTypesRequest.newBuilder()
                                    .setUserId(user.userId())
                                    .setDomainQuery(DomainQuery.newBuilder().setDomain(""))
                                    .build())
                    .error()
                    .isValidationError("DomainQuery.domain", "between 1 and 200");
        }
        ListAuthenticationMethodTypesResponse listed = api.listAuthenticationMethodTypes(
                        admin,
                        ListAuthenticationMethodTypesRequest.newBuilder()
                                .setUserId(user.userId())
                                .setDomainQuery(DomainQuery.newBuilder()
                                        .setDomain("login.example.com")
                                        .setIncludeWithoutDomain(true))
                                .build())
                .ok();
        assertThat(listed.getAuthMethodTypesList())
                .containsExactly(AuthenticationMethodType.AUTHENTICATION_METHOD_TYPE_PASSWORD);
        assertThat(listed.getDetails().getTotalResult()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void no_refusal_echoes_a_password_or_code(Transport transport) {
        UserApi api = apis.over(transport);
        Created user = newUser(api);
        String secret = "Leaky-Secret-77";
        String code =
                api.passwordReset(admin, returnResetCode(user.userId())).ok().getVerificationCode();

        List<ServiceClients.Failure> failures = List.of(
                api.setPassword(
                                admin,
                                setPassword(user.userId(), secret)
                                        .setVerificationCode(wrong(code))
                                        .build())
                        .error(),
                api.setPassword(
                                admin,
                                setPassword(user.userId(), secret)
                                        .setCurrentPassword(secret + "x")
                                        .build())
                        .error(),
                api.setPassword(admin, user.userId(), secret + "\u0000").error(),
                api.addHumanUser(
                                admin,
                                newHuman(freshOrgId())
                                        .setHashedPassword(
                                                HashedPassword.newBuilder().setHash(secret))
                                        .build())
                        .error());
        assertThat(failures).allSatisfy(failure -> {
            assertThat(failure.message()).doesNotContain(secret, code, wrong(code));
            assertThat(failure.details())
                    .allSatisfy(detail -> assertThat(detail.getMessage()).doesNotContain(secret, code));
        });
    }
}
