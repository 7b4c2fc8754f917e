package dev.admit.service.persistence;

import static dev.admit.service.persistence.ConcurrencySupport.CHECK_FAILED;
import static dev.admit.service.persistence.ConcurrencySupport.CODE_ADDED;
import static dev.admit.service.persistence.ConcurrencySupport.HUMAN_ADDED;
import static dev.admit.service.persistence.ConcurrencySupport.addHuman;
import static dev.admit.service.persistence.ConcurrencySupport.freshOrg;
import static dev.admit.service.persistence.ConcurrencySupport.wrongCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.PropertyNamingStrategy;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.serialization.EventSerialization;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.service.AdmitApplication;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jackson.JacksonProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Stored event JSON is a public contract (behaviour.md §1) and must not follow the host application's JSON settings.
 * This context runs with every {@code spring.jackson.*} setting that would change the bytes, and with Axon asked to
 * serialize with Jackson, and an application {@link ObjectMapper} built from those settings. (This module has no
 * spring-web, so Boot's JacksonAutoConfiguration makes no ObjectMapper of its own; {@link HostObjectMapper} builds
 * the one a web layer would get.) The stored payloads must still be exactly what
 * {@link EventSerialization#newEventSerializer()} writes.
 */
@SpringBootTest(
        classes = AdmitApplication.class,
        properties = {
            "spring.flyway.enabled=false",
            "admit.server.port=0",
            "spring.jackson.property-naming-strategy=SNAKE_CASE",
            "spring.jackson.serialization.indent-output=true",
            "spring.jackson.serialization.write-dates-as-timestamps=true",
            "spring.jackson.serialization.write-durations-as-timestamps=true",
            "spring.jackson.default-property-inclusion=always",
            "axon.serializer.general=jackson",
            "axon.serializer.messages=jackson",
            "axon.serializer.events=jackson"
        })
@Import(StoredJsonIsolationTest.HostObjectMapper.class)
class StoredJsonIsolationTest {

    @DynamicPropertySource
    static void freshDataDirectory(DynamicPropertyRegistry registry) throws IOException {
        Path base = Path.of("target", "test-data");
        Files.createDirectories(base);
        Path dataDir = Files.createTempDirectory(base, "admit-json-");
        registry.add("admit.data-dir", dataDir::toString);
    }

    /** The application's own mapper, configured from {@code spring.jackson.*} as Boot would with spring-web. */
    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(JacksonProperties.class)
    static class HostObjectMapper {

        @Bean
        @Primary
        ObjectMapper hostObjectMapper(JacksonProperties jackson) throws ReflectiveOperationException {
            JsonMapper.Builder builder = JsonMapper.builder().addModule(new JavaTimeModule());
            jackson.getSerialization().forEach(builder::configure);
            if (jackson.getDefaultPropertyInclusion() != null) {
                builder.defaultPropertyInclusion(JsonInclude.Value.construct(
                        jackson.getDefaultPropertyInclusion(), jackson.getDefaultPropertyInclusion()));
            }
            if (jackson.getPropertyNamingStrategy() != null) {
                builder.propertyNamingStrategy((PropertyNamingStrategy) PropertyNamingStrategies.class
                        .getField(jackson.getPropertyNamingStrategy())
                        .get(null));
            }
            return builder.build();
        }
    }

    @Autowired
    CommandGateway commands;

    @Autowired
    UserIdGenerator ids;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ObjectMapper hostObjectMapper;

    private final JacksonSerializer reference = EventSerialization.newEventSerializer();

    @Test
    void the_host_settings_are_really_in_force_in_this_context() throws Exception {
        String hostJson = hostObjectMapper.writeValueAsString(new Probe(Duration.ofHours(72), null));

        assertThat(hostJson).contains("given_name", "\n", "\"expiry\" : 259200");
    }

    @Test
    void stored_event_json_ignores_the_application_json_settings() throws Exception {
        UserId user = ids.next();
        OrgId org = freshOrg(ids);
        AddHumanUserCommand add = addHuman(user, org, "json." + user);
        commands.sendAndWait(add);
        CreateInviteCodeResult created = commands.sendAndWait(
                new CreateInviteCodeCommand(user, OrgScope.any(), new InviteDelivery.ReturnCode()));
        String code = created.returnedCode().orElseThrow().reveal();
        commands.sendAndWait(new VerifyInviteCodeCommand(user, OrgScope.any(), wrongCode(code)));

        List<Row> rows = rows(user);
        assertThat(rows).extracting(Row::payloadType).containsExactly(HUMAN_ADDED, CODE_ADDED, CHECK_FAILED);

        String added = rows.get(0).json();
        HumanUserAdded expectedAdded = new HumanUserAdded(
                user,
                org,
                add.username().value(),
                add.givenName(),
                add.familyName(),
                add.displayName(),
                add.preferredLanguage(),
                add.email().value());
        assertThat(added).isEqualTo(referenceJson(expectedAdded));
        assertThat(added)
                .contains("\"givenName\":\"Ada\"", "\"familyName\":", "\"orgId\":\"" + org.value() + "\"")
                .doesNotContain("given_name", "org_id", "displayName", "null");

        String codeAdded = rows.get(1).json();
        InviteCodeAdded storedCode =
                (InviteCodeAdded) reference.deserialize(rows.get(1).serialized());
        assertThat(storedCode.expiry()).isEqualTo(Duration.ofHours(72));
        assertThat(storedCode.codeReturned()).isTrue();
        assertThat(codeAdded)
                .isEqualTo(
                        referenceJson(new InviteCodeAdded(storedCode.code(), Duration.ofHours(72), null, null, true)));
        assertThat(codeAdded)
                .contains("\"expiry\":\"PT72H\"", "\"codeReturned\":true", "\"keyId\":", "\"ciphertext\":")
                .doesNotContain("code_returned", "key_id", "urlTemplate", "null")
                .doesNotContain(code);

        assertThat(rows.get(2).json()).isEqualTo("{\"reason\":\"WRONG_CODE\"}");

        for (Row row : rows) {
            assertThat(row.json())
                    .as("compact JSON for %s", row.payloadType())
                    .doesNotContain("\n", "\r", " : ", "  ")
                    .startsWith("{");
            assertThat(row.json())
                    .as("%s reads back and writes the same bytes with the reference serializer", row.payloadType())
                    .isEqualTo(referenceJson(reference.deserialize(row.serialized())));
        }
    }

    /** Something the host mapper writes, to show its settings: a snake-cased name and a duration. */
    record Probe(Duration expiry, String givenName) {}

    private record Row(String payloadType, String revision, byte[] payload) {

        String json() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        SimpleSerializedObject<byte[]> serialized() {
            return new SimpleSerializedObject<>(payload, byte[].class, payloadType, revision);
        }
    }

    private List<Row> rows(UserId user) {
        return jdbc.query("""
                SELECT payload_type, payload_revision, payload FROM admit.domain_event_entry
                WHERE aggregate_identifier = ? ORDER BY sequence_number
                """, (rs, row) -> new Row(rs.getString(1), rs.getString(2), rs.getBytes(3)), user.value());
    }

    private String referenceJson(Object payload) {
        return new String(reference.serialize(payload, byte[].class).getData(), StandardCharsets.UTF_8);
    }
}
