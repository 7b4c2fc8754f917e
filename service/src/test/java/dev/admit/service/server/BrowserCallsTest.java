package dev.admit.service.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import dev.admit.api.server.AdmitServer;
import dev.admit.service.AdmitContextTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Cross-origin calls are allowed only from the configured origins (here https://app.example). */
class BrowserCallsTest extends AdmitContextTest {

    @Autowired
    AdmitServer server;

    private AggregatedHttpResponse preflight(String origin) {
        return WebClient.of("http://127.0.0.1:" + server.port())
                .execute(RequestHeaders.builder(HttpMethod.OPTIONS, "/v2/users/human")
                        .add("origin", origin)
                        .add("access-control-request-method", "POST")
                        .add("access-control-request-headers", "authorization, content-type")
                        .build())
                .aggregate()
                .join();
    }

    @Test
    void a_configured_origin_may_call_from_a_browser() {
        assertThat(preflight("https://app.example").headers().get("access-control-allow-origin"))
                .isEqualTo("https://app.example");
    }

    @Test
    void any_other_origin_is_not_allowed() {
        assertThat(preflight("https://evil.example").headers().get("access-control-allow-origin"))
                .isNull();
    }
}
