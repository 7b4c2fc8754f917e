package dev.admit.domain.user;

import static dev.admit.domain.user.UserFixture.EXPIRY;
import static dev.admit.domain.user.UserFixture.ORG;
import static dev.admit.domain.user.UserFixture.OTHER_ORG;
import static dev.admit.domain.user.UserFixture.T0;
import static dev.admit.domain.user.UserFixture.USER;
import static dev.admit.domain.user.UserFixture.details;
import static dev.admit.domain.user.UserFixture.event;
import static dev.admit.domain.user.UserFixture.mailedCode;
import static dev.admit.domain.user.UserFixture.returnedCode;
import static dev.admit.domain.user.UserFixture.satisfying;
import static dev.admit.domain.user.UserFixture.userAdded;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.IdpLinkAdded;
import dev.admit.domain.message.IdpLinkRemoved;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasskeyAdded;
import dev.admit.domain.message.PasskeyRemoved;
import dev.admit.domain.message.PasswordChanged;
import java.util.Objects;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.Test;

/** CreateInviteCode, rules 3 to 6 of behaviour.md §3. */
class CreateInviteCodeTest {

    private static final String TEMPLATE = "https://acme.example/invite?user={{.UserID}}&code={{.Code}}&org={{.OrgID}}";

    private final UserFixture users = new UserFixture();

    private static CreateInviteCodeCommand create(InviteDelivery delivery) {
        return new CreateInviteCodeCommand(USER, OrgScope.any(), delivery);
    }

    private static CreateInviteCodeCommand returning() {
        return create(new InviteDelivery.ReturnCode());
    }

    private static CreateInviteCodeCommand sending(String urlTemplate, String applicationName) {
        return create(new InviteDelivery.SendCode(urlTemplate, applicationName));
    }

    @Test
    void rule3_a_missing_user_is_not_found_and_nothing_is_recorded() {
        users.fixture
                .givenNoPriorActivity()
                .when(returning())
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectExceptionMessage("User could not be found (COMMAND-Wgvn4)");
    }

    @Test
    void rule3_a_user_outside_the_callers_organization_is_not_found() {
        users.fixture
                .given(userAdded())
                .when(new CreateInviteCodeCommand(USER, OrgScope.only(OTHER_ORG), new InviteDelivery.ReturnCode()))
                .expectNoEvents()
                .expectExceptionMessage("User could not be found (COMMAND-Wgvn4)");
    }

    @Test
    void rule4_a_user_with_a_password_is_already_initialized() {
        users.fixture
                .given(userAdded(), new PasswordChanged("$2a$10$hash", false))
                .when(returning())
                .expectNoEvents()
                .expectExceptionMessage("User is already initialized (COMMAND-EF34g)");
    }

    @Test
    void rule4_a_user_with_a_passkey_is_already_initialized() {
        users.fixture
                .given(userAdded(), new PasskeyAdded("token-1"))
                .when(returning())
                .expectNoEvents()
                .expectExceptionMessage("User is already initialized (COMMAND-EF34g)");
    }

    @Test
    void rule4_a_user_whose_only_passkey_was_removed_may_be_invited_again() {
        users.fixture
                .given(userAdded(), new PasskeyAdded("token-1"), new PasskeyRemoved("token-1"))
                .when(returning())
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        org.hamcrest.Matchers.instanceOf(InviteCodeAdded.class), Matchers.andNoMore())));
    }

    @Test
    void rule4_a_user_with_one_of_two_passkeys_left_is_still_initialized() {
        users.fixture
                .given(
                        userAdded(),
                        new PasskeyAdded("token-1"),
                        new PasskeyAdded("token-2"),
                        new PasskeyRemoved("token-1"))
                .when(returning())
                .expectExceptionMessage("User is already initialized (COMMAND-EF34g)");
    }

    @Test
    void rule4_a_user_with_an_idp_link_is_initialized_until_the_link_is_removed() {
        users.fixture
                .given(userAdded(), new IdpLinkAdded("idp-1", "ext-1", "Ada"))
                .when(returning())
                .expectExceptionMessage("User is already initialized (COMMAND-EF34g)");
        users.fixture
                .given(userAdded(), new IdpLinkAdded("idp-1", "ext-1", "Ada"), new IdpLinkRemoved("idp-1", "ext-1"))
                .when(returning())
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void rule4_is_checked_before_the_url_template() {
        users.fixture
                .given(userAdded(), new PasswordChanged("$2a$10$hash", false))
                .when(sending("https://x/{{.Nope}}", null))
                .expectExceptionMessage("User is already initialized (COMMAND-EF34g)");
    }

    @Test
    void rule5_a_template_with_an_unknown_placeholder_is_invalid_and_nothing_is_recorded() {
        users.fixture
                .given(userAdded())
                .when(sending("https://acme.example/{{.Email}}", "Acme"))
                .expectNoEvents()
                .expectExceptionMessage("URL Template is invalid (DOMAIN-oGh5e)");
    }

    @Test
    void rule5_a_malformed_template_is_invalid() {
        users.fixture
                .given(userAdded())
                .when(sending("https://acme.example/{{.Code", null))
                .expectNoEvents()
                .expectExceptionMessage("URL Template is invalid (DOMAIN-oGh5e)");
    }

    @Test
    void rule6_return_code_issues_a_returned_code_and_answers_it() {
        UserFixture.Seen<InviteCodeAdded> added = new UserFixture.Seen<>();
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded())
                .when(returning())
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        satisfying(
                                InviteCodeAdded.class,
                                "returned, 72h, no template",
                                e -> e.codeReturned()
                                        && e.expiry().equals(EXPIRY)
                                        && e.urlTemplate() == null
                                        && e.applicationName() == null
                                        && added.add(e)),
                        Matchers.andNoMore())))
                .expectResultMessagePayloadMatching(satisfying(
                        CreateInviteCodeResult.class,
                        "details of sequence 2 and the code sealed in the event",
                        result -> result.details().equals(details(2, T0))
                                && result.returnedCode().isPresent()
                                && users.inviteCodes.matches(
                                        USER,
                                        added.last().code(),
                                        result.returnedCode().get().reveal())));
    }

    @Test
    void rule6_the_returned_code_has_the_policys_length_and_alphabet() {
        users.fixture
                .given(userAdded())
                .when(returning())
                .expectResultMessagePayloadMatching(satisfying(
                        CreateInviteCodeResult.class,
                        "a code of 6 symbols from A-Z0-9",
                        result -> result.returnedCode()
                                .map(code -> code.reveal().matches("[A-Z0-9]{6}"))
                                .orElse(false)));
    }

    @Test
    void rule6_send_code_issues_a_mailed_code_with_its_template_and_application_name_and_answers_no_code() {
        users.fixture
                .givenCurrentTime(T0)
                .andGiven(userAdded())
                .when(sending(TEMPLATE, "Acme Portal"))
                .expectEventsMatching(Matchers.exactSequenceOf(
                        event(
                                InviteCodeAdded.class,
                                "mailed with the given template and name",
                                e -> !e.codeReturned()
                                        && TEMPLATE.equals(e.urlTemplate())
                                        && "Acme Portal".equals(e.applicationName())),
                        Matchers.andNoMore()))
                .expectResultMessagePayloadMatching(satisfying(
                        CreateInviteCodeResult.class,
                        "no code in the answer",
                        result -> result.returnedCode().isEmpty()
                                && result.details().equals(details(2, T0))));
    }

    @Test
    void rule6_without_a_verification_field_the_code_is_mailed_with_the_service_defaults() {
        users.fixture
                .given(userAdded())
                .when(create(InviteDelivery.SendCode.withDefaults()))
                .expectEventsMatching(Matchers.exactSequenceOf(
                        event(
                                InviteCodeAdded.class,
                                "mailed, no template or name of its own",
                                e -> !e.codeReturned() && e.urlTemplate() == null && e.applicationName() == null),
                        Matchers.andNoMore()));
    }

    @Test
    void rule6_an_omitted_template_and_application_name_default_to_the_previous_codes() {
        users.fixture
                .given(userAdded(), mailedCode(users.issued(), TEMPLATE, "Acme Portal"))
                .when(sending(null, null))
                .expectEventsMatching(Matchers.exactSequenceOf(
                        event(
                                InviteCodeAdded.class,
                                "the previous template and name",
                                e -> TEMPLATE.equals(e.urlTemplate()) && "Acme Portal".equals(e.applicationName())),
                        Matchers.andNoMore()));
    }

    @Test
    void rule6_defaults_survive_a_returned_code_in_between() {
        users.fixture
                .given(userAdded(), mailedCode(users.issued(), TEMPLATE, "Acme Portal"), returnedCode(users.issued()))
                .when(sending(null, null))
                .expectEventsMatching(Matchers.exactSequenceOf(
                        event(
                                InviteCodeAdded.class,
                                "the template and name of the last mailed code",
                                e -> TEMPLATE.equals(e.urlTemplate()) && "Acme Portal".equals(e.applicationName())),
                        Matchers.andNoMore()));
    }

    @Test
    void rule6_given_values_win_over_the_previous_codes() {
        String other = "https://other.example/{{ .Code }}";
        users.fixture
                .given(userAdded(), mailedCode(users.issued(), TEMPLATE, "Acme Portal"))
                .when(sending(other, null))
                .expectEventsMatching(Matchers.exactSequenceOf(
                        event(
                                InviteCodeAdded.class,
                                "the given template and the previous name",
                                e -> other.equals(e.urlTemplate()) && "Acme Portal".equals(e.applicationName())),
                        Matchers.andNoMore()));
    }

    @Test
    void rule6_each_new_code_is_different_and_sealed_for_the_user() {
        UserFixture.Seen<InviteCodeAdded> added = new UserFixture.Seen<>();
        InviteCodeAdded previous = returnedCode(users.issued());
        users.fixture
                .given(userAdded(), previous)
                .when(returning())
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        satisfying(
                                InviteCodeAdded.class,
                                "a new sealed code",
                                e -> !Objects.equals(e.code(), previous.code()) && added.add(e)),
                        Matchers.andNoMore())))
                .expectResultMessagePayloadMatching(satisfying(
                        CreateInviteCodeResult.class,
                        "the new code opens only the new event",
                        result -> users.inviteCodes.matches(
                                        USER,
                                        added.last().code(),
                                        result.returnedCode().orElseThrow().reveal())
                                && !users.inviteCodes
                                        .reveal(USER, previous.code())
                                        .equals(result.returnedCode().orElseThrow())));
    }

    @Test
    void rule6_a_caller_limited_to_the_users_organization_may_create() {
        users.fixture
                .given(userAdded())
                .when(new CreateInviteCodeCommand(USER, OrgScope.only(ORG), new InviteDelivery.ReturnCode()))
                .expectSuccessfulHandlerExecution();
    }
}
