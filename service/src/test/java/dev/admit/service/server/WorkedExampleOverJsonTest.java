package dev.admit.service.server;

import static dev.admit.service.server.ServiceClients.JSON;
import static dev.admit.service.server.ServiceClients.bearer;
import static dev.admit.service.server.ServiceClients.fieldNames;
import static dev.admit.service.server.ServiceClients.storedEventTypes;
import static dev.admit.service.server.ServiceClients.wrongCodeFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.admit.api.server.AdmitServer;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.server.ServiceClients.JsonClient;
import dev.admit.service.server.ServiceClients.JsonResponse;
import dev.admit.service.server.ServiceClients.Tokens;
import dev.admit.spring.boot.AdmitProperties;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * behaviour.md §7 over the JSON routes, with a plain HTTP client and hand-written bodies, as {@code curl} or any
 * REST client sends them; answers are compared as JSON trees, errors to the exact documented body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkedExampleOverJsonTest extends AdmitContextTest {

    /** behaviour.md §5, verbatim. */
    private static final String CODE_IS_INVALID =
            "{\"code\":3,\"message\":\"Code is invalid (COMMAND-Wgn4q)\",\"details\":[{\"@type\":\"type.googleapis.com/zitadel.v1.ErrorDetail\",\"id\":\"COMMAND-Wgn4q\",\"message\":\"Code is invalid\"}]}";

    @Autowired
    AdmitServer server;

    @Autowired
    AdmitProperties properties;

    @Autowired
    JdbcTemplate jdbc;

    private JsonClient http;
    private String admin;

    @BeforeAll
    void connect() {
        http = new JsonClient(server.port());
        admin = bearer(Tokens.of(properties).admin());
    }

    @Test
    void the_worked_example_answers_each_step_with_the_documented_sequence_and_bodies() throws Exception {
        String org = ServiceClients.freshOrgId();
        String email = ServiceClients.freshEmail();

        // 1. AddHumanUser → user.human.added (seq 1)
        JsonResponse added = http.post("/v2/users/human", admin, """
                {"organization":{"orgId":"%s"},
                 "profile":{"givenName":"Ada","familyName":"Lovelace"},
                 "email":{"email":"%s"}}""".formatted(org, email));
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        JsonNode addedBody = added.json();
        assertThat(fieldNames(addedBody)).containsExactlyInAnyOrder("userId", "details");
        String userId = addedBody.get("userId").asText();
        assertThat(userId).matches("[0-9]{1,20}");
        assertWriteDetails(addedBody.get("details"), "1", org);

        // 2. CreateInviteCode with return_code → invite.code.added (seq 2), "inviteCode" in the answer
        JsonResponse created = http.post("/v2/users/" + userId + "/invite_code", admin, "{\"returnCode\":{}}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        JsonNode createdBody = created.json();
        assertThat(fieldNames(createdBody)).containsExactlyInAnyOrder("details", "inviteCode");
        assertWriteDetails(createdBody.get("details"), "2", org);
        String code = createdBody.get("inviteCode").asText();
        assertThat(code).matches("[A-Z0-9]{6}");

        // 3. a wrong code → invite.check.failed (seq 3), 400 with exactly the documented body
        JsonResponse wrong = verify(userId, wrongCodeFor(code));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json()).isEqualTo(JSON.readTree(CODE_IS_INVALID));
        assertThat(wrong.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode afterFailure = getUser(userId);
        assertThat(afterFailure.at("/details/sequence").asText())
                .as("the failed attempt is stored")
                .isEqualTo("3");

        // 4. the right code → invite.check.succeeded (seq 4), email.verified (seq 5): 200 {"details":{…}}
        JsonResponse verified = verify(userId, code);
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        JsonNode verifiedBody = verified.json();
        assertThat(fieldNames(verifiedBody)).containsExactly("details");
        assertWriteDetails(verifiedBody.get("details"), "5", org);
        String changeDate = verifiedBody.at("/details/changeDate").asText();

        // 5. GetUserByID → human.email.isVerified true, details.sequence "5", the same changeDate
        JsonNode read = getUser(userId);
        assertThat(read.at("/user/human/email/isVerified").isBoolean()).isTrue();
        assertThat(read.at("/user/human/email/isVerified").asBoolean()).isTrue();
        assertThat(read.at("/details/sequence").isTextual()).isTrue();
        assertThat(read.at("/details/sequence").asText()).isEqualTo("5");
        assertThat(Instant.parse(read.at("/details/changeDate").asText())).isEqualTo(Instant.parse(changeDate));
        assertThat(read.at("/details/changeDate").asText()).isEqualTo(changeDate);
        assertThat(read.at("/details/resourceOwner").asText()).isEqualTo(org);
        assertThat(read.at("/user/userId").asText()).isEqualTo(userId);
        assertThat(read.at("/user/username").asText())
                .as("the username defaults to the email")
                .isEqualTo(email);
        assertThat(read.at("/user/preferredLoginName").asText()).isEqualTo(email);
        assertThat(read.at("/user/state").asText()).isEqualTo("USER_STATE_ACTIVE");
        assertThat(read.at("/user/human/email/email").asText()).isEqualTo(email);

        // 6. the same code again → invite.check.failed (seq 6, NO_ACTIVE_CODE), 400 with the same body
        JsonResponse again = verify(userId, code);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json()).isEqualTo(JSON.readTree(CODE_IS_INVALID));
        assertThat(getUser(userId).at("/details/sequence").asText()).isEqualTo("6");

        assertThat(storedEventTypes(jdbc, userId))
                .containsExactly(
                        "user.human.added",
                        "user.human.invite.code.added",
                        "user.human.invite.check.failed",
                        "user.human.invite.check.succeeded",
                        "user.human.email.verified",
                        "user.human.invite.check.failed");
    }

    private JsonResponse verify(String userId, String code) {
        return http.post(
                "/v2/users/" + userId + "/invite_code/verify", admin, "{\"verificationCode\":\"" + code + "\"}");
    }

    private JsonNode getUser(String userId) {
        JsonResponse response = http.get("/v2/users/" + userId, admin);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Write details: exactly sequence (a string), changeDate and resourceOwner; no creationDate. */
    private static void assertWriteDetails(JsonNode details, String sequence, String org) {
        assertThat(fieldNames(details)).containsExactlyInAnyOrder("sequence", "changeDate", "resourceOwner");
        assertThat(details.get("sequence").isTextual()).isTrue();
        assertThat(details.get("sequence").asText()).isEqualTo(sequence);
        assertThat(details.get("resourceOwner").asText()).isEqualTo(org);
        assertThat(Instant.parse(details.get("changeDate").asText())).isNotNull();
    }
}
