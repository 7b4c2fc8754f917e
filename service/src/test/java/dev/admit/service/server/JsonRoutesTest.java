package dev.admit.service.server;

import static dev.admit.service.server.ServiceClients.bearer;
import static dev.admit.service.server.ServiceClients.freshEmail;
import static dev.admit.service.server.ServiceClients.freshOrgId;
import static dev.admit.service.server.ServiceClients.freshUserId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.api.server.AdmitServer;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.server.ServiceClients.JsonClient;
import dev.admit.service.server.ServiceClients.JsonResponse;
import dev.admit.service.server.ServiceClients.Tokens;
import dev.admit.spring.boot.AdmitProperties;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Admit answers its JSON routes itself, and leaves a request with a query string to Armeria's transcoder, which
 * ignores parameters that name no field. So the same request with and without {@code ?unknown=1} goes both ways,
 * and must get the same answer: status, headers (but the date) and body, byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonRoutesTest extends AdmitContextTest {

    private static final String TRANSCODED = "?unknown=1";

    @Autowired
    AdmitServer server;

    @Autowired
    AdmitProperties properties;

    private JsonClient http;
    private String admin;
    private String limited;

    @BeforeAll
    void connect() {
        http = new JsonClient(server.port());
        Tokens tokens = Tokens.of(properties);
        admin = bearer(tokens.admin());
        limited = bearer(tokens.token("e2e-other-org", freshOrgId(), "user.read", "user.write"));
    }

    private record Call(String method, String path, String authorization, String body, String contentType) {}

    @Test
    void every_route_answers_as_the_transcoder_does() {
        String org = freshOrgId();
        String userId = http.post("/v2/users/human", admin, newUser(org))
                .json()
                .get("userId")
                .asText();
        String code = http.post("/v2/users/" + userId + "/invite_code", admin, "{\"returnCode\":{}}")
                .json()
                .get("inviteCode")
                .asText();
        String user = "/v2/users/" + userId;
        String nobody = "/v2/users/" + freshUserId();

        List<Call> calls = List.of(
                new Call("GET", user, admin, null, null),
                new Call("GET", user, admin, "{\"ignored\":true}", "application/json"),
                new Call("GET", user + "/authentication_methods", admin, null, null),
                new Call("GET", "/v2/users/" + freshUserId(), admin, null, null),
                new Call("GET", user, limited, null, null),
                new Call(
                        "POST", user + "/invite_code/verify", admin, "{\"verificationCode\":\"\"}", "application/json"),
                new Call("POST", user + "/invite_code/verify", admin, "{}", null),
                new Call("POST", user + "/invite_code/verify", admin, "", "application/json"),
                new Call(
                        "POST",
                        "/v2/users/" + freshUserId() + "/invite_code/verify",
                        admin,
                        "{\"userId\":\"" + userId + "\",\"verificationCode\":\"" + code + "\"}",
                        "application/json"),
                new Call(
                        "POST",
                        user + "/invite_code/verify",
                        limited,
                        "{\"verification_code\":\"ABCDEF\"}",
                        "application/x-www-form-urlencoded"),
                new Call(
                        "POST",
                        user + "/invite_code",
                        admin,
                        "{\"sendCode\":{\"urlTemplate\":\"https://example.com/{{.Password}}\"}}",
                        "application/json"),
                new Call("POST", nobody + "/invite_code", admin, "{\"returnCode\":{},\"sendCode\":{}}", "text/plain"),
                new Call("POST", nobody + "/invite_code/resend", admin, "{\"anything\":[1,2]}", "application/json"),
                new Call(
                        "POST",
                        nobody + "/password_reset",
                        admin,
                        "{\"sendLink\":{\"notificationType\":\"NOTIFICATION_TYPE_UNKNOWN_TO_US\"}}",
                        "application/json"),
                new Call(
                        "POST",
                        nobody + "/password_reset",
                        admin,
                        "{\"sendLink\":{\"notificationType\":1.5}}",
                        "application/json"),
                new Call(
                        "POST",
                        user + "/password",
                        admin,
                        "{\"newPassword\":{\"password\":\"\"},\"verificationCode\":\"x\"}",
                        "application/json"),
                new Call("POST", "/v2/users/human", admin, "{\"profile\":{\"givenName\":\"A\"}}", "application/json"),
                new Call("POST", "/v2/users/human", limited, newUser(org), "application/json"),
                new Call(
                        "POST",
                        "/v2/users/human",
                        admin,
                        newUser(org).replace("\"profile\":{", "\"profile\":{\"gender\":\"GENDER_NONE_SUCH\","),
                        "application/json"));

        for (Call call : calls) {
            JsonResponse own = send(call, call.path());
            JsonResponse transcoded = send(call, call.path() + TRANSCODED);
            String described = call.method() + " " + call.path().replace(userId, "<user>") + " " + call.body();
            assertThat(own.status()).as(described).isEqualTo(transcoded.status());
            assertThat(own.body()).as(described).isEqualTo(transcoded.body());
            assertThat(headersOf(own)).as(described).isEqualTo(headersOf(transcoded));
        }
        assertThat(http.get(user, admin)
                        .json()
                        .at("/user/human/email/isVerified")
                        .asBoolean())
                .as("no call above verified the code")
                .isFalse();
    }

    @Test
    void a_success_carries_the_transcoders_headers_and_field_order() {
        String userId = http.post("/v2/users/human", admin, newUser(freshOrgId()))
                .json()
                .get("userId")
                .asText();

        JsonResponse own = http.get("/v2/users/" + userId, admin);
        JsonResponse transcoded = http.get("/v2/users/" + userId + TRANSCODED, admin);

        assertThat(own.status()).isEqualTo(200);
        assertThat(own.body()).isEqualTo(transcoded.body());
        assertThat(headersOf(own)).isEqualTo(headersOf(transcoded)).containsKeys("content-type", "grpc-status");
    }

    private JsonResponse send(Call call, String path) {
        return http.send(call.method(), path, call.authorization(), call.body(), call.contentType());
    }

    private static Map<String, List<String>> headersOf(JsonResponse response) {
        Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
        headers.remove("date");
        return headers;
    }

    private static String newUser(String org) {
        return """
                {"organization":{"orgId":"%s"},"profile":{"givenName":"Ada","familyName":"Lovelace"},"email":{"email":"%s"}}""".formatted(org, freshEmail());
    }
}
