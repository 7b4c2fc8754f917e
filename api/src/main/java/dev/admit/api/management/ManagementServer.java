package dev.admit.api.management;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The management port, apart from the API: {@code /metrics} in Prometheus' text format, {@code /health/live} (the
 * process answers) and {@code /health/ready} (it can serve: see {@link Readiness}). Nothing here needs a token, so
 * it belongs on a port only the operator's network reaches. The operators' calls under {@code /operations} need an
 * administrator's bearer token ({@link ProjectionOperations}).
 */
public final class ManagementServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);
    private static final MediaType PROMETHEUS_TEXT = MediaType.parse("text/plain; version=0.0.4; charset=utf-8");

    /** Whether the service can serve, and if not, why, in words an operator acts on. */
    @FunctionalInterface
    public interface Readiness {
        /** The reasons it is not ready; empty when it is. */
        List<String> problems();
    }

    private final Server server;
    private volatile boolean running;

    /**
     * @param port the port to listen on, 0 for a free one
     * @param metrics the metrics as Prometheus text
     * @param readiness what {@code /health/ready} answers from
     */
    public ManagementServer(int port, Supplier<String> metrics, Readiness readiness) {
        this(port, metrics, readiness, Optional.empty());
    }

    /** @param operations the operators' calls ({@link ProjectionOperations}), where the API's tokens are known */
    public ManagementServer(
            int port, Supplier<String> metrics, Readiness readiness, Optional<ProjectionOperations> operations) {
        com.linecorp.armeria.server.ServerBuilder builder = Server.builder()
                .http(port)
                .blockingTaskExecutor(2)
                .service(
                        "/metrics",
                        (ctx, req) -> HttpResponse.of(
                                () -> HttpResponse.of(HttpStatus.OK, PROMETHEUS_TEXT, metrics.get()),
                                ctx.blockingTaskExecutor()))
                .service(
                        "/health/live",
                        (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"UP\"}"))
                .service(
                        "/health/ready",
                        (ctx, req) -> HttpResponse.of(() -> ready(readiness), ctx.blockingTaskExecutor()));
        operations.ifPresent(routes -> routes.addTo(builder));
        this.server = builder.build();
    }

    private static HttpResponse ready(Readiness readiness) {
        List<String> problems;
        try {
            problems = readiness.problems();
        } catch (RuntimeException failure) {
            problems = List.of(
                    "readiness could not be checked: " + failure.getClass().getSimpleName());
        }
        if (problems.isEmpty()) {
            return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"UP\"}");
        }
        StringBuilder body = new StringBuilder("{\"status\":\"DOWN\",\"problems\":[");
        for (int i = 0; i < problems.size(); i++) {
            body.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(jsonEscaped(problems.get(i)))
                    .append('"');
        }
        body.append("]}");
        return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.JSON_UTF_8, body.toString());
    }

    static String jsonEscaped(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    @Override
    public void start() {
        server.start().join();
        running = true;
        log.info("Admit's management port is {} (/metrics, /health/live, /health/ready)", port());
    }

    @Override
    public void stop() {
        running = false;
        try {
            server.stop().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            server.closeAsync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the API server, so an orchestrator can look before traffic arrives. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 150;
    }

    public int port() {
        return server.activeLocalPort();
    }
}
