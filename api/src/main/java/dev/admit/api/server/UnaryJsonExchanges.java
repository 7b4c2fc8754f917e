package dev.admit.api.server;

import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RoutingContext;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;

/**
 * Every JSON call is one request and one answer. Armeria's gRPC layer says so only for a content type of exactly
 * {@code application/json; charset=utf-8}; a plain {@code application/json} (what curl and most clients send) or a
 * body sent without a JSON content type went the streaming way: the request in pieces, and the answer's head and
 * body written in separate event-loop tasks, so two system calls and two wake-ups of the client per answer. gRPC and
 * binary protobuf calls keep the exchange the gRPC layer chooses (health watches and reflection stream).
 */
public final class UnaryJsonExchanges extends SimpleDecoratingHttpService {

    public UnaryJsonExchanges(HttpService delegate) {
        super(delegate);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        return unwrap().serve(ctx, req);
    }

    @Override
    public ExchangeType exchangeType(RoutingContext routingContext) {
        if (JsonRequests.isBinary(routingContext.headers().contentType())) {
            return super.exchangeType(routingContext);
        }
        return ExchangeType.UNARY;
    }
}
