package dev.admit.api.server;

import com.linecorp.armeria.server.Server;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The Armeria server, started after the rest of the application (so requests find a ready event store and
 * projection) and stopped first, gracefully: in-flight calls finish, new ones are refused.
 */
public final class AdmitServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AdmitServer.class);

    private final Server server;
    private final Path adminTokenFile;
    private final Duration shutdownTimeout;
    private volatile boolean running;

    public AdmitServer(Server server, Path adminTokenFile, Duration shutdownTimeout) {
        this.server = server;
        this.adminTokenFile = adminTokenFile;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void start() {
        server.start().join();
        running = true;
        String token = adminTokenFile == null ? "" : "; admin token in " + adminTokenFile.toAbsolutePath();
        log.info("Admit is listening on port {} (gRPC, gRPC-web, JSON){}", port(), token);
    }

    @Override
    public void stop() {
        running = false;
        try {
            // the graceful period is bounded by the server itself; this bound only guards against a stop that hangs
            server.stop().get(shutdownTimeout.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
            log.info("Admit has stopped");
        } catch (TimeoutException e) {
            log.warn("Admit's server did not stop within {}; closing its connections", shutdownTimeout);
            server.closeAsync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn(
                    "Admit's server stopped with an error: {}",
                    e.getCause().getClass().getName());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After everything else has started; Axon's processors start in earlier phases. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.activeLocalPort();
    }
}
