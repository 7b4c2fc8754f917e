package dev.admit.service.server;

import static dev.admit.service.server.ServiceClients.bearer;
import static dev.admit.service.server.ServiceClients.fieldNames;
import static dev.admit.service.server.ServiceClients.freshEmail;
import static dev.admit.service.server.ServiceClients.freshOrgId;
import static dev.admit.service.server.ServiceClients.freshUserId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.admit.api.server.AdmitServer;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.server.ServiceClients.Failure;
import dev.admit.service.server.ServiceClients.JsonClient;
import dev.admit.service.server.ServiceClients.JsonResponse;
import dev.admit.service.server.ServiceClients.Tokens;
import dev.admit.spring.boot.AdmitProperties;
import io.grpc.Status;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * behaviour.md §6 on the JSON routes, with hand-written bodies: what responses look like (lowerCamelCase,
 * {@code uint64} as strings, RFC 3339 UTC timestamps, zero values and write-side {@code creationDate} omitted) and
 * what requests may look like (both name styles, unknown fields, path over body, no Content-Type).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonConventionsTest extends AdmitContextTest {

    /** RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits (protobuf's JSON timestamp form). */
    private static final String RFC_3339_UTC =
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3}|\\.\\d{6}|\\.\\d{9})?Z";

    private static final String LOWER_CAMEL_CASE = "[a-z][a-zA-Z0-9]*";

    @Autowired
    AdmitServer server;

    @Autowired
    AdmitProperties properties;

    private JsonClient http;
    private String admin;

    @BeforeAll
    void connect() {
        http = new JsonClient(server.port());
        admin = bearer(Tokens.of(properties).admin());
    }

    private static String newUserBody(String org, String email) {
        return """
                {"organization":{"orgId":"%s"},"profile":{"givenName":"Ada","familyName":"Lovelace"},"email":{"email":"%s"}}""".formatted(org, email);
    }

    private JsonNode ok(JsonResponse response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private String addUser(String org) {
        return ok(http.post("/v2/users/human", admin, newUserBody(org, freshEmail())))
                .get("userId")
                .asText();
    }

    private String returnedCode(String userId) {
        return ok(http.post("/v2/users/" + userId + "/invite_code", admin, "{\"returnCode\":{}}"))
                .get("inviteCode")
                .asText();
    }

    private JsonNode getUser(String userId) {
        return ok(http.get("/v2/users/" + userId, admin));
    }

    /** Every response of one user's life: add, create (returned and mailed), resend, a failure, verify, read. */
    private Map<String, JsonNode> oneOfEachResponse() {
        String org = freshOrgId();
        JsonNode added = ok(http.post("/v2/users/human", admin, newUserBody(org, freshEmail())));
        String userId = added.get("userId").asText();
        JsonNode mailed = ok(
                http.post(
                        "/v2/users/" + userId + "/invite_code",
                        admin,
                        "{\"sendCode\":{\"urlTemplate\":\"https://example.com/i?u={{.UserID}}&c={{.Code}}\",\"applicationName\":\"Conventions\"}}"));
        JsonNode resent = ok(http.send("POST", "/v2/users/" + userId + "/invite_code/resend", admin, null, null));
        JsonNode returned = ok(http.post("/v2/users/" + userId + "/invite_code", admin, "{\"returnCode\":{}}"));
        JsonResponse failed = http.post(
                "/v2/users/" + userId + "/invite_code/verify",
                admin,
                "{\"verificationCode\":\""
                        + ServiceClients.wrongCodeFor(returned.get("inviteCode").asText()) + "\"}");
        assertThat(failed.status()).isEqualTo(400);
        JsonNode verified = ok(http.post(
                "/v2/users/" + userId + "/invite_code/verify",
                admin,
                "{\"verificationCode\":\"" + returned.get("inviteCode").asText() + "\"}"));
        JsonNode read = getUser(userId);
        return Map.of(
                "AddHumanUser", added,
                "CreateInviteCode(send_code)", mailed,
                "ResendInviteCode", resent,
                "CreateInviteCode(return_code)", returned,
                "VerifyInviteCode error", failed.json(),
                "VerifyInviteCode", verified,
                "GetUserByID", read);
    }

    @Test
    void a_sequence_is_a_json_string_on_writes_and_reads() {
        String userId = addUser(freshOrgId());
        JsonNode created = ok(http.post("/v2/users/" + userId + "/invite_code", admin, "{\"returnCode\":{}}"));
        JsonNode read = getUser(userId);

        for (JsonNode sequence : List.of(
                created.at("/details/sequence"), read.at("/details/sequence"), read.at("/user/details/sequence"))) {
            assertThat(sequence.isTextual()).as("%s is a JSON string", sequence).isTrue();
            assertThat(sequence.asText()).isEqualTo("2");
        }
    }

    @Test
    void timestamps_are_rfc_3339_in_utc_with_0_3_6_or_9_fractional_digits() {
        List<String> timestamps = new ArrayList<>();
        oneOfEachResponse().forEach((rpc, body) -> collectTimestamps(body, timestamps));

        assertThat(timestamps).hasSizeGreaterThanOrEqualTo(6);
        for (String timestamp : timestamps) {
            assertThat(timestamp).matches(RFC_3339_UTC);
            assertThat(OffsetDateTime.parse(timestamp).getOffset()).isEqualTo(ZoneOffset.UTC);
            assertThat(Instant.parse(timestamp)).isNotNull();
        }
    }

    @Test
    void response_field_names_are_lower_camel_case() {
        oneOfEachResponse().forEach((rpc, body) -> {
            List<String> names = new ArrayList<>();
            collectFieldNames(body, names);
            assertThat(names)
                    .as("%s: %s", rpc, body)
                    .allSatisfy(name -> assertThat(name).matches(name.equals("@type") ? "@type" : LOWER_CAMEL_CASE));
        });

        String userId = addUser(freshOrgId());
        JsonNode created = ok(http.post("/v2/users/" + userId + "/invite_code", admin, "{\"returnCode\":{}}"));
        assertThat(fieldNames(created)).contains("inviteCode");
        assertThat(fieldNames(created.get("details"))).contains("changeDate", "resourceOwner");
        JsonNode user = getUser(userId).get("user");
        assertThat(fieldNames(user)).contains("userId", "preferredLoginName", "loginNames");
        assertThat(fieldNames(user.at("/human/profile"))).contains("givenName", "familyName");
        assertThat(user.get("state").asText()).as("enums by name").isEqualTo("USER_STATE_ACTIVE");
    }

    @Test
    void requests_accept_the_proto_field_names_as_well_as_lower_camel_case() {
        String org = freshOrgId();
        String userId = freshUserId();
        String email = freshEmail();

        JsonNode added = ok(http.post("/v2/users/human", admin, """
                {"user_id":"%s","organization":{"org_id":"%s"},
                 "profile":{"given_name":"Grace","family_name":"Hopper","display_name":"Amazing Grace","preferred_language":"en"},
                 "email":{"email":"%s","is_verified":false}}""".formatted(userId, org, email)));
        assertThat(added.get("userId").asText()).isEqualTo(userId);
        JsonNode profile = getUser(userId).at("/user/human/profile");
        assertThat(profile.get("givenName").asText()).isEqualTo("Grace");
        assertThat(profile.get("familyName").asText()).isEqualTo("Hopper");
        assertThat(profile.get("displayName").asText()).isEqualTo("Amazing Grace");
        assertThat(profile.get("preferredLanguage").asText()).isEqualTo("en");
        assertThat(getUser(userId).at("/details/resourceOwner").asText()).isEqualTo(org);

        // "return_code": otherwise the code would be mailed and not returned
        JsonNode returned = ok(http.post("/v2/users/" + userId + "/invite_code", admin, "{\"return_code\":{}}"));
        assertThat(returned.has("inviteCode")).isTrue();

        // "send_code.url_template": an invalid one is refused, so it was read
        Failure badTemplate = Failure.of(http.post(
                "/v2/users/" + userId + "/invite_code",
                admin,
                "{\"send_code\":{\"url_template\":\"https://example.com/{{.Password}}\"}}"));
        badTemplate.is(Status.Code.INVALID_ARGUMENT, "DOMAIN-oGh5e", "URL Template is invalid");

        // "verification_code"
        JsonNode verified = ok(http.post(
                "/v2/users/" + userId + "/invite_code/verify",
                admin,
                "{\"verification_code\":\"" + returned.get("inviteCode").asText() + "\"}"));
        assertThat(verified.at("/details/sequence").asText()).isEqualTo("4");

        // and "verificationCode"
        String other = addUser(org);
        JsonNode camel = ok(http.post(
                "/v2/users/" + other + "/invite_code/verify",
                admin,
                "{\"verificationCode\":\"" + returnedCode(other) + "\"}"));
        assertThat(camel.at("/details/sequence").asText()).isEqualTo("4");
    }

    @Test
    void unknown_request_fields_are_ignored() {
        String org = freshOrgId();
        JsonNode added = ok(http.post("/v2/users/human", admin, """
                {"organization":{"orgId":"%s","orgRegion":"eu"},
                 "profile":{"givenName":"Ada","familyName":"Lovelace","middleName":"Augusta"},
                 "email":{"email":"%s","verifiedBy":"nobody"},
                 "somethingNew":{"nested":[1,2,3]},"anotherNumber":42}""".formatted(org, freshEmail())));
        String userId = added.get("userId").asText();

        JsonNode created = ok(
                http.post("/v2/users/" + userId + "/invite_code", admin, "{\"returnCode\":{\"ttl\":\"1h\"},\"x\":1}"));
        JsonNode verified = ok(http.post(
                "/v2/users/" + userId + "/invite_code/verify",
                admin,
                "{\"verificationCode\":\"" + created.get("inviteCode").asText() + "\",\"rememberMe\":true}"));
        assertThat(verified.at("/details/sequence").asText()).isEqualTo("4");
    }

    @Test
    void the_path_parameter_wins_over_user_id_in_the_body() {
        String org = freshOrgId();
        String target = addUser(org);
        String bystander = addUser(org);
        returnedCode(target);
        returnedCode(bystander);

        JsonNode created = ok(http.post(
                "/v2/users/" + target + "/invite_code", admin, "{\"userId\":\"" + bystander + "\",\"returnCode\":{}}"));
        assertThat(created.at("/details/sequence").asText()).isEqualTo("3");
        JsonNode verified = ok(http.post(
                "/v2/users/" + target + "/invite_code/verify",
                admin,
                "{\"userId\":\"" + bystander + "\",\"verificationCode\":\""
                        + created.get("inviteCode").asText() + "\"}"));
        assertThat(verified.at("/details/sequence").asText()).isEqualTo("5");

        assertThat(getUser(target).at("/user/human/email/isVerified").asBoolean())
                .isTrue();
        JsonNode untouched = getUser(bystander);
        assertThat(untouched.at("/details/sequence").asText())
                .as("the body's user is untouched")
                .isEqualTo("2");
        assertThat(untouched.at("/user/human/email/isVerified").asBoolean()).isFalse();

        JsonResponse missing = http.post(
                "/v2/users/" + freshUserId() + "/invite_code/verify",
                admin,
                "{\"userId\":\"" + bystander + "\",\"verificationCode\":\"ABCDEF\"}");
        Failure.of(missing).is(Status.Code.NOT_FOUND, "COMMAND-F5g2h", "User could not be found");
    }

    @Test
    void the_path_parameter_wins_over_user_id_in_the_body_under_its_proto_name() {
        String org = freshOrgId();
        String target = addUser(org);
        String bystander = addUser(org);
        returnedCode(bystander);

        JsonResponse created = http.post(
                "/v2/users/" + target + "/invite_code",
                admin,
                "{\"user_id\":\"" + bystander + "\",\"return_code\":{}}");
        assertThat(created.status())
                .as(
                        "POST /v2/users/{target}/invite_code {\"user_id\":\"<bystander>\",\"return_code\":{}} answered %s",
                        created.body())
                .isEqualTo(200);
        assertThat(created.json().at("/details/sequence").asText()).isEqualTo("2");
        JsonResponse verified = http.post(
                "/v2/users/" + target + "/invite_code/verify",
                admin,
                "{\"user_id\":\"" + bystander + "\",\"verification_code\":\""
                        + created.json().get("inviteCode").asText() + "\"}");
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        assertThat(verified.json().at("/details/sequence").asText()).isEqualTo("4");
        assertThat(getUser(bystander).at("/details/sequence").asText())
                .as("the body's user is untouched")
                .isEqualTo("2");
    }

    @Test
    void the_path_parameter_wins_over_user_id_in_the_query_string() {
        String org = freshOrgId();
        String target = addUser(org);
        String bystander = addUser(org);

        for (String query : List.of("?userId=" + bystander, "?user_id=" + bystander)) {
            JsonNode read = ok(http.get("/v2/users/" + target + query, admin));
            assertThat(read.at("/user/userId").asText())
                    .as("GET /v2/users/<target>%s reads the user of the path", query.replace(bystander, "<bystander>"))
                    .isEqualTo(target);
        }
    }

    @Test
    void fields_at_their_zero_value_are_omitted() {
        String email = freshEmail();
        String org = freshOrgId();
        String userId = ok(http.post("/v2/users/human", admin, newUserBody(org, email)))
                .get("userId")
                .asText();

        JsonNode user = getUser(userId).get("user");
        assertThat(fieldNames(user.at("/human/email")))
                .as("isVerified false is omitted")
                .containsExactly("email");
        assertThat(fieldNames(user.at("/human/profile")))
                .as("no nickName, displayName, preferredLanguage, gender or avatarUrl")
                .containsExactlyInAnyOrder("givenName", "familyName");
        assertThat(fieldNames(user.get("human")))
                .doesNotContain("phone", "passwordChangeRequired", "passwordChanged", "mfaInitSkipped");
        assertThat(fieldNames(user)).doesNotContain("machine");

        JsonNode mailed = ok(http.post("/v2/users/" + userId + "/invite_code", admin, "{}"));
        assertThat(fieldNames(mailed))
                .as("no inviteCode when the code is mailed")
                .containsExactly("details");
    }

    @Test
    void write_details_carry_no_creation_date() {
        Map<String, JsonNode> responses = oneOfEachResponse();
        responses.forEach((rpc, body) -> {
            if (body.has("details") && body.get("details").isObject() && !rpc.equals("GetUserByID")) {
                assertThat(fieldNames(body.get("details")))
                        .as("%s: %s", rpc, body)
                        .containsExactlyInAnyOrder("sequence", "changeDate", "resourceOwner");
            }
        });
    }

    @Test
    void a_body_without_a_content_type_is_read_as_json() {
        String org = freshOrgId();
        JsonResponse added = http.send("POST", "/v2/users/human", admin, newUserBody(org, freshEmail()), null);
        assertThat(added.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        String userId = ok(added).get("userId").asText();

        JsonNode created =
                ok(http.send("POST", "/v2/users/" + userId + "/invite_code", admin, "{\"returnCode\":{}}", null));
        JsonNode verified = ok(http.send(
                "POST",
                "/v2/users/" + userId + "/invite_code/verify",
                admin,
                "{\"verificationCode\":\"" + created.get("inviteCode").asText() + "\"}",
                null));
        assertThat(verified.at("/details/sequence").asText()).isEqualTo("4");

        // curl -d sends application/x-www-form-urlencoded
        JsonResponse curlStyle = http.send(
                "POST", "/v2/users/human", admin, newUserBody(org, freshEmail()), "application/x-www-form-urlencoded");
        assertThat(ok(curlStyle).at("/details/sequence").asText()).isEqualTo("1");
    }

    private static void collectTimestamps(JsonNode node, List<String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().endsWith("Date") || field.getKey().equals("passwordChanged")) {
                    into.add(field.getValue().asText());
                } else {
                    collectTimestamps(field.getValue(), into);
                }
            }
        } else if (node.isArray()) {
            node.forEach(element -> collectTimestamps(element, into));
        }
    }

    private static void collectFieldNames(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                into.add(field.getKey());
                collectFieldNames(field.getValue(), into);
            });
        } else if (node.isArray()) {
            node.forEach(element -> collectFieldNames(element, into));
        }
    }
}
