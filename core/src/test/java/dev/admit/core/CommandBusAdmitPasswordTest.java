package dev.admit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.core.api.NewHumanUser;
import dev.admit.core.api.PasswordVerification;
import dev.admit.core.api.UserPassword;
import dev.admit.core.password.PasswordHasher;
import dev.admit.core.password.PasswordHashingPool;
import dev.admit.core.password.PasswordSettings;
import dev.admit.core.password.Passwords;
import dev.admit.domain.crypto.CodeCipher;
import dev.admit.domain.crypto.KeyRing;
import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.invite.InviteCodeGenerator;
import dev.admit.domain.invite.InviteCodePolicy;
import dev.admit.domain.invite.InviteCodes;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.PasswordCheckFailed;
import dev.admit.domain.message.PasswordHashUpdated;
import dev.admit.domain.message.PasswordResetDelivery;
import dev.admit.domain.message.WriteDetails;
import dev.admit.domain.serialization.EventSerialization;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.User;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The password entry points over a real command bus and the User aggregate, on Axon's in-memory event store. */
class CommandBusAdmitPasswordTest {

    private static final OrgId ORG = new OrgId("69629012906488334");
    private static final OrgScope SCOPE = OrgScope.only(ORG);
    private static final String GOOD = "Sup3r-Secret!";
    private static final String OTHER = "An0ther-Secret?";
    /** OpenBSD's bcrypt test vector: "U*U" with cost 5, as ZITADEL would export it. */
    private static final String IMPORTED_BCRYPT = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

    private final SecureRandom random = new SecureRandom();
    private final Configuration axon = DefaultConfigurer.defaultConfiguration(false)
            .configureSerializer(config -> EventSerialization.newEventSerializer())
            .configureEmbeddedEventStore(config -> new InMemoryEventStorageEngine())
            .configureAggregate(User.class)
            .registerComponent(
                    InviteCodes.class,
                    config -> new InviteCodes(
                            InviteCodePolicy.DEFAULT,
                            new InviteCodeGenerator(random),
                            new CodeCipher(KeyRing.generate("k", random), random)))
            .registerComponent(Clock.class, config -> Clock.systemUTC())
            .buildConfiguration();
    private final PasswordSettings settings =
            PasswordSettings.defaults().withArgon2(64, 1, 1).withPool(2, 8);
    private final Passwords passwords = Passwords.start(settings);
    private final List<ErrorCatalogue> refused = new CopyOnWriteArrayList<>();
    private final CommandBusAdmit admit;

    CommandBusAdmitPasswordTest() {
        axon.start();
        admit = new CommandBusAdmit(
                axon.commandGateway(), null, new UserIdGenerator(Clock.systemUTC(), 1), null, refused::add, passwords);
    }

    @AfterEach
    void stop() {
        passwords.close();
        axon.shutdown();
    }

    private UserId addUser(UserPassword password) {
        NewHumanUser user = NewHumanUser.of(ORG, "Ada", "Lovelace", new EmailAddress("ada@example.com"));
        return admit.addHumanUser(SCOPE, password == null ? user : user.withPassword(password))
                .userId();
    }

    private List<Object> payloads(UserId user) {
        return axon.eventStore()
                .readEvents(user.value())
                .asStream()
                .map(DomainEventMessage::getPayload)
                .map(Object.class::cast)
                .toList();
    }

    private static ErrorCatalogue refusal(Runnable call) {
        try {
            call.run();
        } catch (DomainException refusal) {
            return refusal.error();
        }
        throw new AssertionError("no refusal");
    }

    @Test
    void onboarding_sets_the_first_password_without_verification_and_the_user_is_then_initialized() {
        UserId user = addUser(null);

        WriteDetails details = admit.setPassword(SCOPE, user, GOOD, false, PasswordVerification.none());

        assertThat(details.sequence()).isEqualTo(2);
        assertThat(payloads(user).get(1))
                .isInstanceOfSatisfying(
                        PasswordChanged.class,
                        changed -> assertThat(changed.encodedHash()).startsWith("$argon2id$v=19$m=64,t=1,p=1$"));
        assertThat(refusal(() -> admit.createInviteCode(SCOPE, user, new InviteDelivery.ReturnCode())))
                .isEqualTo(ErrorCatalogue.USER_ALREADY_INITIALIZED);
        assertThat(admit.checkPassword(SCOPE, user, GOOD).sequence()).isEqualTo(2);
    }

    @Test
    void the_current_password_is_verified_before_the_change_and_a_wrong_one_is_recorded() {
        UserId user = addUser(UserPassword.plain(GOOD, false));

        assertThat(refusal(() ->
                        admit.setPassword(SCOPE, user, OTHER, false, PasswordVerification.currentPassword("not it"))))
                .isEqualTo(ErrorCatalogue.PASSWORD_INVALID);
        assertThat(payloads(user).get(2)).isInstanceOf(PasswordCheckFailed.class);
        assertThat(refused).containsExactly(ErrorCatalogue.PASSWORD_INVALID);

        admit.setPassword(SCOPE, user, OTHER, false, PasswordVerification.currentPassword(GOOD));

        admit.checkPassword(SCOPE, user, OTHER);
        assertThat(refusal(() -> admit.checkPassword(SCOPE, user, GOOD))).isEqualTo(ErrorCatalogue.PASSWORD_INVALID);
    }

    @Test
    void a_missing_or_out_of_scope_user_is_not_found_even_with_a_current_password() {
        UserId user = addUser(UserPassword.plain(GOOD, false));

        assertThat(refusal(() -> admit.setPassword(
                        SCOPE, new UserId("404"), OTHER, false, PasswordVerification.currentPassword(GOOD))))
                .isEqualTo(ErrorCatalogue.USER_NOT_FOUND);
        assertThat(refusal(() -> admit.setPassword(
                        OrgScope.only(new OrgId("1")), user, OTHER, false, PasswordVerification.currentPassword(GOOD))))
                .isEqualTo(ErrorCatalogue.USER_NOT_FOUND);
        assertThat(refused).containsExactly(ErrorCatalogue.USER_NOT_FOUND, ErrorCatalogue.USER_NOT_FOUND);
        assertThat(payloads(new UserId("404"))).isEmpty();
    }

    @Test
    void complexity_is_judged_after_the_verification() {
        UserId user = addUser(UserPassword.plain(GOOD, false));

        assertThat(refusal(() ->
                        admit.setPassword(SCOPE, user, "weak", false, PasswordVerification.currentPassword("not it"))))
                .isEqualTo(ErrorCatalogue.PASSWORD_INVALID);
        assertThat(refusal(() ->
                        admit.setPassword(SCOPE, user, "weak", false, PasswordVerification.currentPassword(GOOD))))
                .isEqualTo(ErrorCatalogue.PASSWORD_TOO_SHORT);
    }

    @Test
    void a_returned_reset_code_sets_the_password_once() {
        UserId user = addUser(UserPassword.plain(GOOD, false));
        String code = admit.requestPasswordReset(SCOPE, user, new PasswordResetDelivery.ReturnCode())
                .returnedCode()
                .orElseThrow()
                .reveal();

        admit.setPassword(SCOPE, user, OTHER, true, PasswordVerification.resetCode(code));

        admit.checkPassword(SCOPE, user, OTHER);
        assertThat(refusal(() -> admit.setPassword(SCOPE, user, GOOD, false, PasswordVerification.resetCode(code))))
                .isEqualTo(ErrorCatalogue.PASSWORD_CODE_USED);
    }

    @Test
    void an_imported_bcrypt_hash_verifies_and_is_re_encoded_with_the_settings_on_the_first_successful_check() {
        UserId user = addUser(UserPassword.hashed(IMPORTED_BCRYPT, false));

        admit.checkPassword(SCOPE, user, "U*U");

        assertThat(payloads(user))
                .last()
                .isInstanceOfSatisfying(
                        PasswordHashUpdated.class,
                        updated -> assertThat(updated.encodedHash()).startsWith("$argon2id$"));
        int events = payloads(user).size();
        admit.checkPassword(SCOPE, user, "U*U");
        assertThat(payloads(user)).as("an up-to-date hash is left alone").hasSize(events);
    }

    @Test
    void a_hash_of_an_unsupported_format_and_a_weak_plain_password_create_no_user() {
        assertThat(refusal(() -> addUser(UserPassword.hashed("{MD5}5f4dcc3b5aa765d61d8327deb882cf99", false))))
                .isEqualTo(ErrorCatalogue.PASSWORD_HASH_UNSUPPORTED);
        assertThat(refusal(() -> addUser(UserPassword.plain("password", false))))
                .isEqualTo(ErrorCatalogue.PASSWORD_WITHOUT_UPPERCASE);
    }

    @Test
    void with_bcrypt_configured_a_password_over_72_bytes_is_refused_as_invalid_before_anything_else() {
        Passwords bcrypt = new Passwords(
                new PasswordHasher(settings.withAlgorithm(PasswordSettings.Algorithm.BCRYPT)
                        .withBcryptCost(4)),
                new PasswordHashingPool(1, 1));
        CommandBusAdmit bcryptAdmit = new CommandBusAdmit(
                axon.commandGateway(), null, new UserIdGenerator(Clock.systemUTC(), 2), null, e -> {}, bcrypt);

        assertThatThrownBy(() -> bcryptAdmit.setPassword(
                        SCOPE, new UserId("404"), "Aa1!" + "x".repeat(69), false, PasswordVerification.none()))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("new_password.password must be at most 72 bytes long with bcrypt");
        bcrypt.close();
    }

    @Test
    void when_the_hashing_pool_is_full_a_password_change_is_refused_as_resource_exhausted() throws Exception {
        PasswordHashingPool tiny = new PasswordHashingPool(1, 0);
        Passwords busy = new Passwords(new PasswordHasher(settings), tiny);
        CommandBusAdmit busyAdmit = new CommandBusAdmit(
                axon.commandGateway(), null, new UserIdGenerator(Clock.systemUTC(), 3), null, e -> {}, busy);
        UserId user = addUser(null);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread occupant = new Thread(() -> tiny.call(() -> {
            running.countDown();
            return release.await(30, TimeUnit.SECONDS);
        }));
        occupant.start();
        try {
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(refusal(() -> busyAdmit.setPassword(SCOPE, user, GOOD, false, PasswordVerification.none())))
                    .isEqualTo(ErrorCatalogue.PASSWORD_HASHING_BUSY);
            assertThat(payloads(user)).hasSize(1);
        } finally {
            release.countDown();
            occupant.join();
            busy.close();
        }
    }

    @Test
    void no_password_or_code_shows_in_the_text_of_what_the_caller_hands_over() {
        assertThat(PasswordVerification.currentPassword(GOOD).toString()).doesNotContain(GOOD);
        assertThat(PasswordVerification.resetCode("K7Q2ZD").toString()).doesNotContain("K7Q2ZD");
        assertThat(UserPassword.plain(GOOD, true).toString()).doesNotContain(GOOD);
        assertThat(UserPassword.hashed(IMPORTED_BCRYPT, true).toString()).doesNotContain("CCCCC");
        assertThat(NewHumanUser.of(ORG, "Ada", "Lovelace", new EmailAddress("ada@example.com"))
                        .withPassword(UserPassword.plain(GOOD, false))
                        .toString())
                .doesNotContain(GOOD);
    }
}
