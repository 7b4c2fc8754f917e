package dev.admit.service.cli;

import dev.admit.service.AdmitApplication;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Runs the service; it keeps running after the command returns. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Runs the API server (gRPC, gRPC-web and JSON on port 8080) and the management port (9090), "
                + "on the embedded PostgreSQL unless SPRING_DATASOURCE_URL names another. The default command.")
final class ServeCommand extends SpringArguments implements Callable<Integer> {

    @Override
    public Integer call() {
        AdmitApplication.serve(properties().toArray(String[]::new));
        return 0;
    }
}
