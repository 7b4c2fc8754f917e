package dev.admit.examples.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.api.server.AdmitServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The host's Tomcat and Admit's API server side by side, each on its own port. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "admit.server.port=0")
class HostWithServerTest {

    private static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws IOException {
        dataDir = HostTestSupport.freshDataDir("host-server");
        registry.add("admit.data-dir", dataDir::toString);
    }

    @LocalServerPort
    int tomcatPort;

    @Autowired
    AdmitServer admitServer;

    @Value("${admit.data-dir}")
    String configuredDataDir;

    @Test
    void the_invite_flow_runs_over_admits_json_routes_while_the_host_serves_its_own_web_api() throws Exception {
        int admitPort = admitServer.port();
        assertThat(admitPort).isNotEqualTo(tomcatPort);
        String token = Files.readString(dataDir.resolve("admin.jwt")).trim();

        HttpResponse<String> added = HostTestSupport.post(admitPort, "/v2/users/human", token, """
                {"organization": {"orgId": "69629012906488334"},
                 "profile": {"givenName": "Grace", "familyName": "Hopper"},
                 "email": {"email": "grace@example.com"}}""");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        String userId = HostTestSupport.field(added.body(), "userId");
        HttpResponse<String> issued =
                HostTestSupport.post(admitPort, "/v2/users/" + userId + "/invite_code", token, "{\"returnCode\": {}}");
        String code = HostTestSupport.field(issued.body(), "inviteCode");
        HttpResponse<String> verified = HostTestSupport.post(
                admitPort, "/v2/users/" + userId + "/invite_code/verify", token,
                "{\"verificationCode\": \"" + code + "\"}");
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        assertThat(HostTestSupport.get(admitPort, "/v2/users/" + userId, token).body())
                .contains("\"isVerified\":true");

        HttpResponse<String> team = HostTestSupport.post(tomcatPort, "/teams", null, "{\"name\": \"Compilers\"}");
        assertThat(team.statusCode()).as(team.body()).isEqualTo(200);
        assertThat(HostTestSupport.get(admitPort, "/teams", null).statusCode())
                .as("Admit's port serves only Admit")
                .isNotEqualTo(200);
    }

    @Test
    void reflection_and_cross_origin_calls_are_off_unless_switched_on() throws Exception {
        int admitPort = admitServer.port();
        var reflection = com.linecorp.armeria.client.WebClient.of("http://127.0.0.1:" + admitPort)
                .execute(
                        com.linecorp.armeria.common.RequestHeaders.builder(
                                        com.linecorp.armeria.common.HttpMethod.POST,
                                        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo")
                                .contentType(com.linecorp.armeria.common.MediaType.parse("application/grpc-web+proto"))
                                .add("authorization", "Bearer "
                                        + Files.readString(dataDir.resolve("admin.jwt")).trim())
                                .build(),
                        com.linecorp.armeria.common.HttpData.wrap(new byte[] {0, 0, 0, 0, 2, 0x3a, 0}))
                .aggregate()
                .join();
        String status = reflection.headers().get("grpc-status") != null
                ? reflection.headers().get("grpc-status")
                : reflection.trailers().get("grpc-status");
        assertThat(status).as("UNIMPLEMENTED").isEqualTo("12");

        var preflight = com.linecorp.armeria.client.WebClient.of("http://127.0.0.1:" + admitPort)
                .execute(com.linecorp.armeria.common.RequestHeaders.builder(
                                com.linecorp.armeria.common.HttpMethod.OPTIONS, "/v2/users/human")
                        .add("origin", "https://app.example")
                        .add("access-control-request-method", "POST")
                        .build())
                .aggregate()
                .join();
        assertThat(preflight.headers().get("access-control-allow-origin")).isNull();
    }

    @Test
    void admits_server_refuses_the_hosts_own_web_port() throws Exception {
        String dir = HostTestSupport.freshDataDir("host-same-port").toString();
        assertThatThrownBy(() -> new SpringApplicationBuilder(HostApplication.class)
                        .run("--server.port=18080", "--admit.server.port=18080", "--admit.data-dir=" + dir)
                        .close())
                .hasStackTraceContaining("admit.server.port is 18080, the application's own web port");
    }
}
