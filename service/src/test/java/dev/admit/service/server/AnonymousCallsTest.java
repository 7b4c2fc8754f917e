package dev.admit.service.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.admit.api.server.AdmitServer;
import dev.admit.service.AdmitContextTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A caller without a valid token learns nothing from its body: on every protocol the token is checked first, so a
 * malformed or oversized body is answered UNAUTHENTICATED (401), not INVALID_ARGUMENT or RESOURCE_EXHAUSTED.
 */
class AnonymousCallsTest extends AdmitContextTest {

    private static final String VERIFY = "/zitadel.user.v2.UserService/VerifyInviteCode";

    @Autowired
    AdmitServer server;

    private AggregatedHttpResponse call(String scheme, String contentType, byte[] body, String authorization) {
        RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, VERIFY)
                .contentType(MediaType.parse(contentType))
                .add("te", "trailers");
        if (authorization != null) {
            headers.add("authorization", authorization);
        }
        return WebClient.of(scheme + "://127.0.0.1:" + server.port())
                .execute(HttpRequest.of(headers.build(), com.linecorp.armeria.common.HttpData.wrap(body)))
                .aggregate()
                .join();
    }

    private static String grpcStatus(AggregatedHttpResponse response) {
        String inHeaders = response.headers().get("grpc-status");
        return inHeaders != null ? inHeaders : response.trailers().get("grpc-status");
    }

    @Test
    void a_malformed_or_oversized_body_without_a_token_is_unauthenticated_on_grpc_and_grpc_web() {
        byte[] malformed = {0, 0, 0, 0, 9, (byte) 0xFF, (byte) 0xFF};
        byte[] oversized = new byte[70_000];
        for (String scheme : List.of("h2c", "h1c")) {
            for (String type : List.of("application/grpc", "application/grpc-web+proto")) {
                if (scheme.equals("h1c") && type.equals("application/grpc")) {
                    continue; // gRPC proper is HTTP/2 only
                }
                assertThat(grpcStatus(call(scheme, type, malformed, null)))
                        .as(scheme + " " + type)
                        .isEqualTo("16");
                assertThat(grpcStatus(call(scheme, type, oversized, "Bearer not-a-token")))
                        .as(scheme + " " + type + " oversized")
                        .isEqualTo("16");
            }
        }
    }

    @Test
    void unframed_protobuf_without_a_token_is_answered_401() {
        AggregatedHttpResponse response = call("h1c", "application/protobuf", new byte[] {(byte) 0xFF}, null);

        assertThat(response.status().code()).isEqualTo(401);
        assertThat(response.contentUtf8()).contains("AUTH-7fs1e");
    }
}
