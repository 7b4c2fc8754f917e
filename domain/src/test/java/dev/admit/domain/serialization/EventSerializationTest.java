package dev.admit.domain.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.admit.domain.crypto.CodeCipher;
import dev.admit.domain.crypto.EncryptedCode;
import dev.admit.domain.crypto.KeyRing;
import dev.admit.domain.invite.InviteCodeGenerator;
import dev.admit.domain.invite.InviteCodePolicy;
import dev.admit.domain.invite.InviteCodes;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.IdpLinkAdded;
import dev.admit.domain.message.IdpLinkRemoved;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.InviteCodeCheckFailed;
import dev.admit.domain.message.InviteCodeSent;
import dev.admit.domain.message.InviteCodeVerified;
import dev.admit.domain.message.PasskeyAdded;
import dev.admit.domain.message.PasskeyRemoved;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.PasswordCheckFailed;
import dev.admit.domain.message.PasswordCodeAdded;
import dev.admit.domain.message.PasswordCodeCheckFailed;
import dev.admit.domain.message.PasswordCodeSent;
import dev.admit.domain.message.PasswordHashUpdated;
import dev.admit.domain.message.UserEvent;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventSerializationTest {

    private static final EncryptedCode SEALED =
            new EncryptedCode("key-2025", "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEg==");

    /** One sample of every event type, with every optional field set. */
    private static final Map<Class<? extends UserEvent>, UserEvent> SAMPLES = samples();

    /** The JSON payload names of every event type, from behaviour.md section 1. */
    private static final Map<Class<? extends UserEvent>, Set<String>> PAYLOAD_NAMES = Map.ofEntries(
            Map.entry(
                    HumanUserAdded.class,
                    Set.of(
                            "userId",
                            "orgId",
                            "username",
                            "givenName",
                            "familyName",
                            "displayName",
                            "preferredLanguage",
                            "email")),
            Map.entry(EmailVerified.class, Set.of()),
            Map.entry(
                    InviteCodeAdded.class, Set.of("code", "expiry", "urlTemplate", "applicationName", "codeReturned")),
            Map.entry(InviteCodeSent.class, Set.of()),
            Map.entry(InviteCodeVerified.class, Set.of()),
            Map.entry(InviteCodeCheckFailed.class, Set.of("reason")),
            Map.entry(PasswordChanged.class, Set.of("encodedHash", "changeRequired", "userAgentID", "triggerOrigin")),
            Map.entry(PasswordHashUpdated.class, Set.of("encodedHash")),
            Map.entry(PasswordCheckFailed.class, Set.of()),
            Map.entry(PasswordCodeAdded.class, Set.of("code", "expiry", "urlTemplate", "codeReturned")),
            Map.entry(PasswordCodeSent.class, Set.of()),
            Map.entry(PasswordCodeCheckFailed.class, Set.of("reason")),
            Map.entry(PasskeyAdded.class, Set.of("webAuthNTokenId")),
            Map.entry(PasskeyRemoved.class, Set.of("webAuthNTokenId")),
            Map.entry(IdpLinkAdded.class, Set.of("idpConfigId", "externalUserId", "displayName")),
            Map.entry(IdpLinkRemoved.class, Set.of("idpConfigId", "externalUserId")));

    /** The stored type names of behaviour.md section 1: a public contract, spelled out here on purpose. */
    private static final Map<Class<? extends UserEvent>, String> STABLE_NAMES = Map.ofEntries(
            Map.entry(HumanUserAdded.class, "user.human.added"),
            Map.entry(EmailVerified.class, "user.human.email.verified"),
            Map.entry(InviteCodeAdded.class, "user.human.invite.code.added"),
            Map.entry(InviteCodeSent.class, "user.human.invite.code.sent"),
            Map.entry(InviteCodeVerified.class, "user.human.invite.check.succeeded"),
            Map.entry(InviteCodeCheckFailed.class, "user.human.invite.check.failed"),
            Map.entry(PasswordChanged.class, "user.human.password.changed"),
            Map.entry(PasswordHashUpdated.class, "user.human.password.hash.updated"),
            Map.entry(PasswordCheckFailed.class, "user.human.password.check.failed"),
            Map.entry(PasswordCodeAdded.class, "user.human.password.code.added"),
            Map.entry(PasswordCodeSent.class, "user.human.password.code.sent"),
            Map.entry(PasswordCodeCheckFailed.class, "user.human.password.code.check.failed"),
            Map.entry(PasskeyAdded.class, "user.human.passwordless.token.verified"),
            Map.entry(PasskeyRemoved.class, "user.human.passwordless.token.removed"),
            Map.entry(IdpLinkAdded.class, "user.human.externalidp.added"),
            Map.entry(IdpLinkRemoved.class, "user.human.externalidp.removed"));

    private final JacksonSerializer serializer = EventSerialization.newEventSerializer();
    private final ObjectMapper json = new ObjectMapper();

    private static Map<Class<? extends UserEvent>, UserEvent> samples() {
        Map<Class<? extends UserEvent>, UserEvent> samples = new LinkedHashMap<>();
        samples.put(
                HumanUserAdded.class,
                new HumanUserAdded(
                        new UserId("69629023906488334"),
                        new OrgId("262840392382463"),
                        "alice@example.com",
                        "Alice",
                        "Liddell",
                        "Alice L.",
                        "en",
                        "alice@example.com"));
        samples.put(EmailVerified.class, new EmailVerified());
        samples.put(
                InviteCodeAdded.class,
                new InviteCodeAdded(SEALED, Duration.ofHours(72), "https://x.test/?c={{.Code}}", "Admit", false));
        samples.put(InviteCodeSent.class, new InviteCodeSent());
        samples.put(InviteCodeVerified.class, new InviteCodeVerified());
        samples.put(InviteCodeCheckFailed.class, new InviteCodeCheckFailed(InviteCodeCheckFailed.Reason.WRONG_CODE));
        samples.put(
                PasswordChanged.class,
                new PasswordChanged("$2a$10$abcdefghijklmnopqrstuv", true, "agent-1", "https://login.example.com"));
        samples.put(
                PasswordHashUpdated.class,
                new PasswordHashUpdated("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"));
        samples.put(PasswordCheckFailed.class, new PasswordCheckFailed());
        samples.put(
                PasswordCodeAdded.class,
                new PasswordCodeAdded(SEALED, Duration.ofHours(1), "https://x.test/reset?c={{.Code}}", false));
        samples.put(PasswordCodeSent.class, new PasswordCodeSent());
        samples.put(
                PasswordCodeCheckFailed.class, new PasswordCodeCheckFailed(PasswordCodeCheckFailed.Reason.WRONG_CODE));
        samples.put(PasskeyAdded.class, new PasskeyAdded("token-1"));
        samples.put(PasskeyRemoved.class, new PasskeyRemoved("token-1"));
        samples.put(IdpLinkAdded.class, new IdpLinkAdded("idp-1", "ext-42", "Alice at IdP"));
        samples.put(IdpLinkRemoved.class, new IdpLinkRemoved("idp-1", "ext-42"));
        return samples;
    }

    static Stream<UserEvent> everyEvent() {
        return SAMPLES.values().stream();
    }

    private JsonNode payload(UserEvent event) throws Exception {
        return json.readTree(serializer.serialize(event, String.class).getData());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void every_permitted_event_type_is_registered_under_its_stable_name() {
        Set<Class<?>> permitted = Set.of(UserEvent.class.getPermittedSubclasses());

        assertThat(EventTypes.all().keySet()).isEqualTo(permitted);
        assertThat(EventTypes.all()).isEqualTo(STABLE_NAMES);
        assertThat(SAMPLES.keySet()).isEqualTo(permitted);
        SAMPLES.forEach((type, sample) -> assertThat(sample).isExactlyInstanceOf(type));
        assertThat(PAYLOAD_NAMES.keySet()).isEqualTo(permitted);
    }

    @Test
    void stable_names_are_unique_and_resolve_back_to_their_class() {
        assertThat(new HashSet<>(EventTypes.all().values()))
                .hasSameSizeAs(EventTypes.all().values());
        EventTypes.all().forEach((type, name) -> {
            assertThat(EventTypes.nameOf(type)).contains(name);
            assertThat(EventTypes.classOf(name)).contains(type);
            assertThat(name).doesNotContain("dev.admit");
        });
        assertThat(EventTypes.classOf(HumanUserAdded.class.getName())).isEmpty();
        assertThat(EventTypes.nameOf(String.class)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void an_event_round_trips_through_bytes_under_its_stable_name_and_revision_1(UserEvent event) {
        SerializedObject<byte[]> serialized = serializer.serialize(event, byte[].class);

        assertThat(serialized.getType().getName()).isEqualTo(STABLE_NAMES.get(event.getClass()));
        assertThat(serialized.getType().getRevision()).isEqualTo("1");
        UserEvent back = serializer.deserialize(serialized);
        assertThat(back).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void an_event_round_trips_through_a_string_under_its_stable_name_and_revision_1(UserEvent event) {
        SerializedObject<String> serialized = serializer.serialize(event, String.class);

        assertThat(serialized.getType()).isEqualTo(new SimpleSerializedType(STABLE_NAMES.get(event.getClass()), "1"));
        assertThat(serializer.classForType(serialized.getType())).isEqualTo(event.getClass());
        UserEvent back = serializer.deserialize(serialized);
        assertThat(back).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void an_event_payload_uses_the_json_names_of_the_spec(UserEvent event) throws Exception {
        JsonNode payload = payload(event);

        assertThat(payload.isObject()).isTrue();
        assertThat(fieldNames(payload)).isEqualTo(PAYLOAD_NAMES.get(event.getClass()));
    }

    @Test
    void human_user_added_stores_ids_as_plain_strings_and_omits_absent_optional_fields() throws Exception {
        JsonNode full = payload(SAMPLES.get(HumanUserAdded.class));
        JsonNode minimal = payload(new HumanUserAdded(
                new UserId("u-1"), new OrgId("o-1"), "bob", "Bob", "Builder", null, null, "bob@example.com"));

        assertThat(full.get("userId").isTextual()).isTrue();
        assertThat(full.get("userId").asText()).isEqualTo("69629023906488334");
        assertThat(full.get("orgId").isTextual()).isTrue();
        assertThat(full.get("orgId").asText()).isEqualTo("262840392382463");
        assertThat(full.get("email").asText()).isEqualTo("alice@example.com");
        assertThat(fieldNames(minimal))
                .containsExactlyInAnyOrder("userId", "orgId", "username", "givenName", "familyName", "email");
    }

    @Test
    void invite_code_added_stores_the_sealed_code_and_an_iso_8601_expiry() throws Exception {
        JsonNode full = payload(SAMPLES.get(InviteCodeAdded.class));
        JsonNode returned = payload(new InviteCodeAdded(SEALED, Duration.ofHours(72), null, null, true));

        assertThat(fieldNames(full.get("code"))).containsExactlyInAnyOrder("keyId", "ciphertext");
        assertThat(full.at("/code/keyId").asText()).isEqualTo("key-2025");
        assertThat(full.at("/code/ciphertext").asText()).isEqualTo(SEALED.ciphertext());
        assertThat(full.get("expiry").isTextual()).isTrue();
        assertThat(full.get("expiry").asText()).isEqualTo("PT72H");
        assertThat(full.get("codeReturned").isBoolean()).isTrue();
        assertThat(full.get("codeReturned").asBoolean()).isFalse();
        assertThat(full.get("urlTemplate").asText()).isEqualTo("https://x.test/?c={{.Code}}");
        assertThat(full.get("applicationName").asText()).isEqualTo("Admit");
        assertThat(fieldNames(returned)).containsExactlyInAnyOrder("code", "expiry", "codeReturned");
        assertThat(returned.get("codeReturned").asBoolean()).isTrue();
    }

    @Test
    void enums_and_booleans_are_stored_by_name_and_value() throws Exception {
        assertThat(payload(new InviteCodeCheckFailed(InviteCodeCheckFailed.Reason.NO_ACTIVE_CODE))
                        .get("reason")
                        .asText())
                .isEqualTo("NO_ACTIVE_CODE");
        JsonNode password = payload(SAMPLES.get(PasswordChanged.class));
        assertThat(password.get("changeRequired").isBoolean()).isTrue();
        assertThat(password.get("encodedHash").asText()).isEqualTo("$2a$10$abcdefghijklmnopqrstuv");
    }

    @Test
    void events_without_payload_are_stored_as_an_empty_object() {
        assertThat(serializer.serialize(new EmailVerified(), String.class).getData())
                .isEqualTo("{}");
        assertThat(serializer.serialize(new InviteCodeSent(), String.class).getData())
                .isEqualTo("{}");
        assertThat(serializer.serialize(new InviteCodeVerified(), String.class).getData())
                .isEqualTo("{}");
    }

    @Test
    void a_password_change_stored_before_user_agent_and_trigger_origin_existed_reads_with_both_absent() {
        UserEvent event = serializer.deserialize(new SimpleSerializedObject<>(
                "{\"encodedHash\":\"$2a$14$x\",\"changeRequired\":true}",
                String.class,
                "user.human.password.changed",
                "1"));

        assertThat(event).isEqualTo(new PasswordChanged("$2a$14$x", true, null, null));
    }

    @Test
    void a_password_change_without_user_agent_or_trigger_origin_stores_only_hash_and_flag() throws Exception {
        JsonNode minimal = payload(new PasswordChanged("$2a$14$x", false));

        assertThat(fieldNames(minimal)).containsExactlyInAnyOrder("encodedHash", "changeRequired");
        assertThat(payload(SAMPLES.get(PasswordChanged.class))
                        .get("userAgentID")
                        .asText())
                .isEqualTo("agent-1");
    }

    @Test
    void a_returned_reset_code_stores_the_sealed_code_and_expiry_without_a_template() throws Exception {
        JsonNode returned = payload(new PasswordCodeAdded(SEALED, Duration.ofHours(1), null, true));

        assertThat(fieldNames(returned)).containsExactlyInAnyOrder("code", "expiry", "codeReturned");
        assertThat(returned.get("expiry").asText()).isEqualTo("PT1H");
        assertThat(fieldNames(returned.get("code"))).containsExactlyInAnyOrder("keyId", "ciphertext");
    }

    @Test
    void hashes_never_show_in_the_text_of_the_events_that_carry_them() {
        String hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";

        assertThat(new PasswordChanged(hash, true, "agent", "origin").toString())
                .doesNotContain(hash)
                .doesNotContain("aGFzaGhh");
        assertThat(new PasswordHashUpdated(hash).toString()).doesNotContain("aGFzaGhh");
    }

    @Test
    void a_really_issued_invite_code_is_stored_sealed_and_never_in_plain() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(2025);
        CodeCipher cipher = new CodeCipher(KeyRing.generate("key-2025", random), random);
        InviteCodes inviteCodes = new InviteCodes(InviteCodePolicy.DEFAULT, new InviteCodeGenerator(random), cipher);
        UserId user = new UserId("69629023906488334");

        for (int i = 0; i < 100; i++) {
            InviteCodes.IssuedCode issued = inviteCodes.issue(user);
            InviteCodeAdded event =
                    new InviteCodeAdded(issued.sealed(), InviteCodePolicy.DEFAULT.expiry(), null, null, true);
            String plain = issued.plain().reveal();

            SerializedObject<String> asString = serializer.serialize(event, String.class);
            SerializedObject<byte[]> asBytes = serializer.serialize(event, byte[].class);

            assertThat(asString.getData()).doesNotContain(plain);
            assertThat(new String(asBytes.getData(), StandardCharsets.UTF_8)).doesNotContain(plain);
            InviteCodeAdded back = serializer.deserialize(asBytes);
            assertThat(inviteCodes.matches(user, back.code(), plain)).isTrue();
        }
    }

    @Test
    void a_payload_written_by_another_tool_is_read() {
        String stored = """
                {
                  "codeReturned" : false,
                  "expiry" : "PT1H30M",
                  "applicationName" : "Admit",
                  "code" : { "ciphertext" : "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", "keyId" : "k-1" },
                  "urlTemplate" : "https://x.test/{{.Code}}",
                  "addedBy" : "a field this version does not know"
                }
                """;

        UserEvent event = serializer.deserialize(
                new SimpleSerializedObject<>(stored, String.class, "user.human.invite.code.added", "1"));

        assertThat(event)
                .isEqualTo(new InviteCodeAdded(
                        new EncryptedCode("k-1", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="),
                        Duration.ofMinutes(90),
                        "https://x.test/{{.Code}}",
                        "Admit",
                        false));
    }

    @Test
    void a_human_user_written_by_another_tool_is_read_from_bytes() {
        byte[] stored = """
                {"email":"carol@example.com","familyName":"Danvers","givenName":"Carol",
                 "orgId":"org-9","userId":"user-9","username":"carol"}
                """.getBytes(StandardCharsets.UTF_8);

        UserEvent event =
                serializer.deserialize(new SimpleSerializedObject<>(stored, byte[].class, "user.human.added", "1"));

        assertThat(event)
                .isEqualTo(new HumanUserAdded(
                        new UserId("user-9"),
                        new OrgId("org-9"),
                        "carol",
                        "Carol",
                        "Danvers",
                        null,
                        null,
                        "carol@example.com"));
    }

    @Test
    void simple_payloads_written_by_another_tool_are_read() {
        UserEvent failed = serializer.deserialize(new SimpleSerializedObject<>(
                "{\"reason\":\"EXPIRED\"}", String.class, "user.human.invite.check.failed", "1"));
        UserEvent verified = serializer.deserialize(
                new SimpleSerializedObject<>("{}", String.class, "user.human.email.verified", "1"));
        UserEvent passkey = serializer.deserialize(new SimpleSerializedObject<>(
                "{\"webAuthNTokenId\":\"t-7\"}", String.class, "user.human.passwordless.token.verified", "1"));

        assertThat(failed).isEqualTo(new InviteCodeCheckFailed(InviteCodeCheckFailed.Reason.EXPIRED));
        assertThat(verified).isEqualTo(new EmailVerified());
        assertThat(passkey).isEqualTo(new PasskeyAdded("t-7"));
    }

    @Test
    void an_unknown_stored_name_is_not_mistaken_for_an_event() {
        SerializedType unknown = new SimpleSerializedType("user.human.phone.added", "1");

        assertThat(serializer.classForType(unknown)).isEqualTo(UnknownSerializedType.class);
        assertThat(serializer.classForType(unknown)).isEqualTo(UnknownSerializedType.class);
    }

    @Test
    void stored_types_that_are_not_events_resolve_to_their_class_on_every_read() {
        SerializedType metaData = new SimpleSerializedType(MetaData.class.getName(), null);
        SerializedType unrelated = new SimpleSerializedType(Unrelated.class.getName(), "2");

        for (int read = 0; read < 2; read++) {
            assertThat(serializer.classForType(metaData)).isEqualTo(MetaData.class);
            assertThat(serializer.classForType(unrelated)).isEqualTo(Unrelated.class);
            assertThat(serializer.classForType(SimpleSerializedType.emptyType()))
                    .isEqualTo(Void.class);
            assertThat(serializer.classForType(new SimpleSerializedType("user.human.email.verified", null)))
                    .isEqualTo(EmailVerified.class);
        }
    }

    /** Not an event: a class the serializer also stores, for example a snapshot or a saga. */
    record Unrelated(String name, List<Integer> numbers) {}

    @Test
    void a_class_that_is_not_a_registered_event_is_stored_under_its_java_name() {
        Unrelated value = new Unrelated("x", List.of(1, 2, 3));

        SerializedObject<String> serialized = serializer.serialize(value, String.class);

        assertThat(serialized.getType().getName()).isEqualTo(Unrelated.class.getName());
        assertThat(serialized.getType().getRevision()).isNull();
        Unrelated back = serializer.deserialize(serialized);
        assertThat(back).isEqualTo(value);
    }

    @Test
    void each_call_builds_its_own_mapper_so_application_settings_cannot_leak_into_stored_events() {
        ObjectMapper first = EventSerialization.newEventObjectMapper();
        ObjectMapper second = EventSerialization.newEventObjectMapper();

        assertThat(first).isNotSameAs(second);
        assertThat(EventSerialization.newEventSerializer().getObjectMapper()).isNotSameAs(serializer.getObjectMapper());
    }
}
