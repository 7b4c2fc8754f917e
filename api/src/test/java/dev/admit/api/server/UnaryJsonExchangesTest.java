package dev.admit.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RoutingContext;
import com.linecorp.armeria.server.ServiceRequestContext;
import org.junit.jupiter.api.Test;

class UnaryJsonExchangesTest {

    /** Stands for the gRPC layer: it streams unless it recognises the content type. */
    private static final HttpService STREAMING = new HttpService() {
        @Override
        public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
            return HttpResponse.of(HttpStatus.OK);
        }

        @Override
        public ExchangeType exchangeType(RoutingContext routingContext) {
            return ExchangeType.BIDI_STREAMING;
        }
    };

    private static ExchangeType exchangeFor(HttpMethod method, MediaType contentType) {
        RequestHeadersBuilder headers = RequestHeaders.builder(method, "/v2/users/1/invite_code/verify");
        if (contentType != null) {
            headers.contentType(contentType);
        }
        RoutingContext routing =
                ServiceRequestContext.of(HttpRequest.of(headers.build())).routingContext();
        return new UnaryJsonExchanges(STREAMING).exchangeType(routing);
    }

    @Test
    void a_json_call_is_one_request_and_one_answer_whatever_the_json_content_type_says() {
        assertThat(exchangeFor(HttpMethod.POST, MediaType.JSON)).isEqualTo(ExchangeType.UNARY);
        assertThat(exchangeFor(HttpMethod.POST, MediaType.JSON_UTF_8)).isEqualTo(ExchangeType.UNARY);
        assertThat(exchangeFor(HttpMethod.POST, MediaType.FORM_DATA)).isEqualTo(ExchangeType.UNARY);
        assertThat(exchangeFor(HttpMethod.GET, null)).isEqualTo(ExchangeType.UNARY);
    }

    @Test
    void grpc_grpc_web_and_binary_protobuf_calls_keep_the_exchange_of_the_grpc_layer() {
        assertThat(exchangeFor(HttpMethod.POST, MediaType.parse("application/grpc")))
                .isEqualTo(ExchangeType.BIDI_STREAMING);
        assertThat(exchangeFor(HttpMethod.POST, MediaType.parse("application/grpc-web+proto")))
                .isEqualTo(ExchangeType.BIDI_STREAMING);
        assertThat(exchangeFor(HttpMethod.POST, MediaType.PROTOBUF)).isEqualTo(ExchangeType.BIDI_STREAMING);
    }
}
