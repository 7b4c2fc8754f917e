package dev.admit.api.management;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.admit.api.security.Caller;
import dev.admit.api.security.TokenVerifier;
import dev.admit.core.api.AdmitOperations;
import dev.admit.projection.ProjectionStatus;
import dev.admit.projection.RebuildAlreadyRunningException;
import dev.admit.projection.RebuildProgress;
import dev.admit.projection.RebuildResult;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The operators' calls on the management port, for a bearer token with {@code user.write} and no organization
 * limit (an instance-wide administrator, like the generated admin token):
 *
 * <ul>
 *   <li>{@code GET /operations/users-projection}: where the users projection stands (as {@code admit status});
 *   <li>{@code POST /operations/users-projection/rebuild}: starts a blue/green rebuild in the background, 202, or
 *       409 while one runs on any node;
 *   <li>{@code GET /operations/users-projection/rebuild}: its progress, or how the last one ended.
 * </ul>
 */
public final class ProjectionOperations {

    /** How long a start waits to tell a refused rebuild (another node holds the lock) from a started one. */
    private static final long START_WAIT_MILLIS = 2_000;

    private final TokenVerifier tokens;
    private final AdmitOperations operations;
    private final ExecutorService rebuilds = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "admit-operator-rebuild");
        thread.setDaemon(true);
        return thread;
    });
    private volatile RebuildState state = RebuildState.IDLE;

    /** A rebuild as the calls report it. */
    private record RebuildState(String state, RebuildProgress progress, RebuildResult result, String failure) {

        static final RebuildState IDLE = new RebuildState("idle", null, null, null);

        boolean running() {
            return "running".equals(state);
        }
    }

    public ProjectionOperations(TokenVerifier tokens, AdmitOperations operations) {
        this.tokens = tokens;
        this.operations = operations;
    }

    void addTo(ServerBuilder server) {
        server.service(
                "/operations/users-projection",
                (ctx, req) -> authorized(ctx, req, () -> {
                    if (req.method() != com.linecorp.armeria.common.HttpMethod.GET) {
                        return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED);
                    }
                    return json(HttpStatus.OK, status(operations.projectionStatus()));
                }));
        server.service(
                "/operations/users-projection/rebuild",
                (ctx, req) -> authorized(ctx, req, () -> switch (req.method()) {
                    case GET -> json(HttpStatus.OK, rebuildJson(state));
                    case POST -> start();
                    default -> HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED);
                }));
    }

    private HttpResponse authorized(ServiceRequestContext ctx, HttpRequest req, Supplier<HttpResponse> call) {
        Optional<Caller> caller = tokens.verifyAuthorization(req.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (caller.isEmpty()) {
            return json(HttpStatus.UNAUTHORIZED, "{\"error\":\"a valid bearer token is required\"}");
        }
        if (!caller.get().has(Caller.USER_WRITE) || caller.get().organization().isPresent()) {
            return json(
                    HttpStatus.FORBIDDEN, "{\"error\":\"operations need user.write without an organization limit\"}");
        }
        return HttpResponse.of(() -> call.get(), ctx.blockingTaskExecutor());
    }

    private synchronized HttpResponse start() {
        if (state.running()) {
            return json(HttpStatus.CONFLICT, rebuildJson(state));
        }
        state = new RebuildState("running", null, null, null);
        CountDownLatch started = new CountDownLatch(1);
        rebuilds.execute(() -> {
            try {
                RebuildResult result = operations.rebuildUsersProjection(progress -> {
                    state = new RebuildState("running", progress, null, null);
                    started.countDown();
                });
                state = new RebuildState("done", state.progress(), result, null);
            } catch (RebuildAlreadyRunningException elsewhere) {
                state = new RebuildState("refused", null, null, elsewhere.getMessage());
            } catch (RuntimeException failure) {
                state = new RebuildState(
                        "failed", state.progress(), null, failure.getClass().getSimpleName());
            } finally {
                started.countDown();
            }
        });
        try {
            started.await(START_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RebuildState now = state;
        return "refused".equals(now.state())
                ? json(HttpStatus.CONFLICT, rebuildJson(now))
                : json(HttpStatus.ACCEPTED, rebuildJson(now));
    }

    private static String status(ProjectionStatus status) {
        StringBuilder json = new StringBuilder("{")
                .append("\"processor\":\"")
                .append(status.processor())
                .append("\",")
                .append("\"headIndex\":")
                .append(status.headIndex())
                .append(',')
                .append("\"lagEvents\":")
                .append(status.lagEvents())
                .append(',')
                .append("\"lagSeconds\":")
                .append(status.lag().toMillis() / 1000.0)
                .append(',')
                .append("\"caughtUp\":")
                .append(status.isCaughtUp())
                .append(',')
                .append("\"parkedEvents\":")
                .append(status.parkedEvents())
                .append(',')
                .append("\"segments\":[");
        for (int i = 0; i < status.segments().size(); i++) {
            ProjectionStatus.Segment segment = status.segments().get(i);
            json.append(i == 0 ? "" : ",")
                    .append("{\"segment\":")
                    .append(segment.segment())
                    .append(",\"position\":")
                    .append(segment.position())
                    .append(",\"owner\":")
                    .append(
                            segment.owner() == null
                                    ? "null"
                                    : "\"" + ManagementServer.jsonEscaped(segment.owner()) + "\"")
                    .append('}');
        }
        return json.append("]}").toString();
    }

    private static String rebuildJson(RebuildState state) {
        StringBuilder json =
                new StringBuilder("{\"state\":\"").append(state.state()).append('"');
        RebuildProgress progress = state.progress();
        if (progress != null) {
            json.append(",\"phase\":\"")
                    .append(progress.phase().name().toLowerCase(Locale.ROOT))
                    .append('"')
                    .append(",\"eventsApplied\":")
                    .append(progress.eventsApplied())
                    .append(",\"position\":")
                    .append(progress.position())
                    .append(",\"head\":")
                    .append(progress.head())
                    .append(",\"eventsPerSecond\":")
                    .append(Math.round(progress.eventsPerSecond()));
            progress.eta().ifPresent(eta -> json.append(",\"etaSeconds\":").append(eta.toSeconds()));
        }
        RebuildResult result = state.result();
        if (result != null) {
            json.append(",\"result\":{\"eventsApplied\":")
                    .append(result.eventsApplied())
                    .append(",\"position\":")
                    .append(result.position())
                    .append(",\"resumed\":")
                    .append(result.resumed())
                    .append(",\"seconds\":")
                    .append(result.took().toMillis() / 1000.0)
                    .append('}');
        }
        if (state.failure() != null) {
            json.append(",\"error\":\"")
                    .append(ManagementServer.jsonEscaped(state.failure()))
                    .append('"');
        }
        return json.append('}').toString();
    }

    private static HttpResponse json(HttpStatus status, String body) {
        return HttpResponse.of(status, MediaType.JSON_UTF_8, body);
    }
}
