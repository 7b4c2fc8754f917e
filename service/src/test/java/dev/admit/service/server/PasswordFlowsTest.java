package dev.admit.service.server;

import static dev.admit.service.server.ServiceClients.bearer;
import static dev.admit.service.server.ServiceClients.freshOrgId;
import static dev.admit.service.server.ServiceClients.newHuman;
import static dev.admit.service.server.ServiceClients.returnCode;
import static dev.admit.service.server.ServiceClients.storedEventTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.admit.api.server.AdmitServer;
import dev.admit.service.AdmitApplication;
import dev.admit.service.server.ServiceClients.Apis;
import dev.admit.service.server.ServiceClients.Tokens;
import dev.admit.service.server.ServiceClients.Transport;
import dev.admit.service.server.ServiceClients.UserApi;
import dev.admit.spring.boot.AdmitProperties;
import dev.admit.wire.user.v2.AddHumanUserRequest;
import dev.admit.wire.user.v2.AuthenticationMethodType;
import dev.admit.wire.user.v2.CreateInviteCodeRequest;
import dev.admit.wire.user.v2.GetUserByIDResponse;
import dev.admit.wire.user.v2.HashedPassword;
import dev.admit.wire.user.v2.ListAuthenticationMethodTypesResponse;
import dev.admit.wire.user.v2.NotificationType;
import dev.admit.wire.user.v2.Password;
import dev.admit.wire.user.v2.PasswordResetRequest;
import dev.admit.wire.user.v2.PasswordResetResponse;
import dev.admit.wire.user.v2.SendInviteCode;
import dev.admit.wire.user.v2.SendPasswordResetLink;
import dev.admit.wire.user.v2.SetPasswordRequest;
import dev.admit.wire.user.v2.SetPasswordResponse;
import dev.admit.wire.user.v2.VerifyInviteCodeResponse;
import io.grpc.Status;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A user's first authentication method end to end, on each transport, against the running service with mails
 * delivered over SMTP to a real server in this JVM: the whole onboarding (add, mailed invite, verify, no methods, a
 * password set by an administrator, PASSWORD listed, no second invite), a password reset with the mailed code, and a
 * bcrypt hash imported at creation that then verifies.
 */
@SpringBootTest(
        classes = AdmitApplication.class,
        properties = {
            "spring.flyway.enabled=false",
            "admit.server.port=0",
            "logging.config=classpath:admit-logback.xml",
            "admit.mail.poll-interval=200ms",
            "admit.mail.initial-backoff=200ms",
            "admit.mail.max-backoff=1s",
            "admit.invite.default-application-name=Acme Portal",
            "admit.password.reset-url-template=" + PasswordFlowsTest.DEFAULT_RESET_LINK
        })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasswordFlowsTest {

    static final String DEFAULT_RESET_LINK = "https://login.example/reset/{{.OrgID}}/{{.UserID}}?code={{.Code}}";
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final Pattern INVITE_CODE = Pattern.compile("Your invite code: ([A-Z0-9]{6})");
    private static final Pattern RESET_CODE = Pattern.compile("Your reset code: ([A-Z0-9]{6})");

    private static GreenMail smtp;

    @DynamicPropertySource
    static void smtpAndDataDirectory(DynamicPropertyRegistry registry) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        setup.setServerStartupTimeout(30_000);
        smtp = new GreenMail(setup);
        smtp.start();
        registry.add("admit.mail.smtp.host", () -> "127.0.0.1");
        registry.add("admit.mail.smtp.port", () -> Integer.toString(port));
        Path base = Path.of("target", "test-data");
        Files.createDirectories(base);
        Path dataDir = Files.createTempDirectory(base, "admit-passwords-");
        registry.add("admit.data-dir", dataDir::toString);
    }

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
        smtp.stop();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void the_whole_onboarding_ends_with_a_password_and_no_second_invite(Transport transport) {
        UserApi api = apis.over(transport);
        AddHumanUserRequest request = newHuman(freshOrgId()).build();
        String email = request.getEmail().getEmail();
        String userId = api.addHumanUser(admin, request).ok().getUserId();

        assertThat(api.createInviteCode(
                                admin,
                                CreateInviteCodeRequest.newBuilder()
                                        .setUserId(userId)
                                        .setSendCode(SendInviteCode.getDefaultInstance())
                                        .build())
                        .ok()
                        .hasInviteCode())
                .as("a mailed code is not returned")
                .isFalse();
        String inviteCode = codeIn(awaitMail(email, "Your invitation to Acme Portal"), INVITE_CODE);
        awaitEvent(userId, "user.human.invite.code.sent");
        VerifyInviteCodeResponse verified =
                api.verifyInviteCode(admin, userId, inviteCode).ok();

        ListAuthenticationMethodTypesResponse none =
                api.listAuthenticationMethodTypes(admin, userId).ok();
        assertThat(none.getAuthMethodTypesList()).isEmpty();
        assertThat(none.getDetails().getTotalResult()).isZero();
        assertThat(none.getDetails().getProcessedSequence())
                .isEqualTo(verified.getDetails().getSequence());
        assertThat(none.getDetails().getTimestamp())
                .isEqualTo(verified.getDetails().getChangeDate());
        GetUserByIDResponse invited = api.getUserById(admin, userId).ok();
        assertThat(invited.getUser().getHuman().getEmail().getIsVerified()).isTrue();
        assertThat(invited.getUser().getHuman().hasPasswordChanged()).isFalse();

        // ZITADEL's login: the first password, without verification, under an account holding user.write
        SetPasswordResponse set =
                api.setPassword(admin, userId, "Onboard-Secret-1").ok();
        assertThat(set.getDetails().getSequence())
                .isEqualTo(verified.getDetails().getSequence() + 1);
        assertThat(set.getDetails().getResourceOwner())
                .isEqualTo(request.getOrganization().getOrgId());

        ListAuthenticationMethodTypesResponse methods =
                api.listAuthenticationMethodTypes(admin, userId).ok();
        assertThat(methods.getAuthMethodTypesList())
                .containsExactly(AuthenticationMethodType.AUTHENTICATION_METHOD_TYPE_PASSWORD);
        assertThat(methods.getDetails().getTotalResult()).isEqualTo(1);
        assertThat(methods.getDetails().getProcessedSequence())
                .isEqualTo(set.getDetails().getSequence());
        assertThat(methods.getDetails().getTimestamp())
                .isEqualTo(set.getDetails().getChangeDate());
        GetUserByIDResponse read = api.getUserById(admin, userId).ok();
        assertThat(read.getUser().getHuman().getPasswordChanged())
                .isEqualTo(set.getDetails().getChangeDate());
        assertThat(read.getUser().getHuman().getPasswordChangeRequired()).isFalse();
        assertThat(read.getDetails().getSequence()).isEqualTo(set.getDetails().getSequence());

        api.createInviteCode(admin, returnCode(userId))
                .error()
                .is(Status.Code.FAILED_PRECONDITION, "COMMAND-EF34g", "User is already initialized");
        assertThat(storedEventTypes(jdbc, userId)).last().isEqualTo("user.human.password.changed");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_reset_code_from_the_mail_sets_the_password_once(Transport transport) {
        UserApi api = apis.over(transport);
        AddHumanUserRequest request = newHuman(freshOrgId())
                .setPassword(
                        Password.newBuilder().setPassword("Initial-Secret-1").setChangeRequired(true))
                .build();
        String org = request.getOrganization().getOrgId();
        String email = request.getEmail().getEmail();
        String userId = api.addHumanUser(admin, request).ok().getUserId();
        assertThat(api.getUserById(admin, userId).ok().getUser().getHuman().getPasswordChangeRequired())
                .isTrue();

        // over gRPC with a link of the caller's; otherwise the default link, and no medium at all over JSON
        PasswordResetRequest.Builder reset = PasswordResetRequest.newBuilder().setUserId(userId);
        String expectedLink;
        switch (transport) {
            case GRPC -> {
                reset.setSendLink(SendPasswordResetLink.newBuilder()
                        .setNotificationType(NotificationType.NOTIFICATION_TYPE_Email)
                        .setUrlTemplate("https://app.example/reset?user={{.UserID}}&code={{.Code}}"));
                expectedLink = "https://app.example/reset?user=" + userId + "&code=";
            }
            case GRPC_WEB -> {
                reset.setSendLink(SendPasswordResetLink.getDefaultInstance());
                expectedLink = "https://login.example/reset/" + org + "/" + userId + "?code=";
            }
            default -> expectedLink = "https://login.example/reset/" + org + "/" + userId + "?code=";
        }
        PasswordResetResponse requested =
                api.passwordReset(admin, reset.build()).ok();
        assertThat(requested.hasVerificationCode())
                .as("a mailed code is not returned")
                .isFalse();
        assertThat(requested.getDetails().getSequence()).isEqualTo(3);

        String text = awaitMail(email, "Reset your password for Acme Portal");
        String code = codeIn(text, RESET_CODE);
        assertThat(text).contains(expectedLink + code);
        awaitEvent(userId, "user.human.password.code.sent");

        String self = bearer(tokens.token(userId, org));
        SetPasswordRequest.Builder withCode = SetPasswordRequest.newBuilder()
                .setUserId(userId)
                .setNewPassword(Password.newBuilder().setPassword("Reset-Secret-2"))
                .setVerificationCode(code);
        SetPasswordResponse changed = api.setPassword(self, withCode.build()).ok();
        assertThat(changed.getDetails().getSequence()).isEqualTo(5);
        api.setPassword(self, withCode.build())
                .error()
                .is(Status.Code.FAILED_PRECONDITION, "ADMIT-Pw7cu", "Code has already been used");

        SetPasswordRequest.Builder withCurrent = SetPasswordRequest.newBuilder()
                .setUserId(userId)
                .setNewPassword(Password.newBuilder().setPassword("Later-Secret-3"));
        api.setPassword(self, withCurrent.setCurrentPassword("Initial-Secret-1").build())
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "COMMAND-3M0fs", "Password is invalid");
        api.setPassword(self, withCurrent.setCurrentPassword("Reset-Secret-2").build())
                .ok();
        GetUserByIDResponse read = api.getUserById(self, userId).ok();
        assertThat(read.getUser().getHuman().getPasswordChangeRequired()).isFalse();
        assertThat(storedEventTypes(jdbc, userId))
                .containsExactly(
                        "user.human.added",
                        "user.human.password.changed",
                        "user.human.password.code.added",
                        "user.human.password.code.sent",
                        "user.human.password.changed",
                        "user.human.password.code.check.failed",
                        "user.human.password.check.failed",
                        "user.human.password.changed");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_bcrypt_hash_imported_at_creation_verifies_as_the_current_password(Transport transport) {
        UserApi api = apis.over(transport);
        String hash = new BCryptPasswordEncoder(4).encode("Imported-Secret-1");
        assertThat(hash).startsWith("$2a$04$");
        String userId = api.addHumanUser(
                        admin,
                        newHuman(freshOrgId())
                                .setHashedPassword(HashedPassword.newBuilder().setHash(hash))
                                .build())
                .ok()
                .getUserId();

        assertThat(api.listAuthenticationMethodTypes(admin, userId).ok().getAuthMethodTypesList())
                .containsExactly(AuthenticationMethodType.AUTHENTICATION_METHOD_TYPE_PASSWORD);
        api.createInviteCode(admin, returnCode(userId))
                .error()
                .is(Status.Code.FAILED_PRECONDITION, "COMMAND-EF34g", "User is already initialized");
        GetUserByIDResponse read = api.getUserById(admin, userId).ok();
        assertThat(read.toString()).doesNotContain(hash, "$2a$");

        SetPasswordRequest.Builder change = SetPasswordRequest.newBuilder()
                .setUserId(userId)
                .setNewPassword(Password.newBuilder().setPassword("Fresh-Secret-2"));
        api.setPassword(admin, change.setCurrentPassword("Imported-Secret-2").build())
                .error()
                .is(Status.Code.INVALID_ARGUMENT, "COMMAND-3M0fs", "Password is invalid");
        SetPasswordResponse changed = api.setPassword(
                        admin, change.setCurrentPassword("Imported-Secret-1").build())
                .ok();
        assertThat(changed.getDetails().getSequence()).isEqualTo(4);
    }

    // --- mail

    /** The text part of the one mail to {@code address} with {@code subject}, once it arrived. */
    private static String awaitMail(String address, String subject) {
        return await().atMost(DELIVERY)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> Arrays.stream(smtp.getReceivedMessages())
                                .filter(message -> to(message, address))
                                .filter(message -> subject(message).equals(subject))
                                .map(PasswordFlowsTest::textOf)
                                .toList(),
                        mails -> mails.size() == 1)
                .get(0);
    }

    private void awaitEvent(String userId, String type) {
        await().atMost(DELIVERY)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> storedEventTypes(jdbc, userId).contains(type));
    }

    private static String codeIn(String text, Pattern pattern) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("a code in %s", text).isTrue();
        return matcher.group(1);
    }

    private static boolean to(MimeMessage message, String address) {
        try {
            var recipients = message.getRecipients(Message.RecipientType.TO);
            return recipients != null
                    && List.of(recipients).stream()
                            .anyMatch(r -> ((InternetAddress) r).getAddress().equalsIgnoreCase(address));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String textOf(Part part) {
        try {
            if (part.isMimeType("text/plain")) {
                return (String) part.getContent();
            }
            if (part.getContent() instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    String text = textOf(multipart.getBodyPart(i));
                    if (text != null) {
                        return text;
                    }
                }
            }
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
