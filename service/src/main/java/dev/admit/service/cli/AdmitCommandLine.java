package dev.admit.service.cli;

import java.util.Arrays;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The runnable jar's command line: {@code serve} (the default), {@code export}, {@code import}, {@code rebuild} and
 * {@code status}. Every command reads the service's configuration (environment, system properties, Spring
 * arguments such as {@code --admit.data-dir=...}); the commands other than {@code serve} run without the API server,
 * the management port, the mail dispatcher and the projection's processor, so they can run beside a serving node.
 */
@Command(
        name = "admit",
        mixinStandardHelpOptions = true,
        versionProvider = AdmitVersion.class,
        description = "Admit: ZITADEL's invite flow on Axon and PostgreSQL.%n"
                + "Configuration comes from the environment (ADMIT_DATA_DIR, SPRING_DATASOURCE_URL, "
                + "SPRING_DATASOURCE_USERNAME, SPRING_DATASOURCE_PASSWORD, ADMIT_CRYPTO_*, ...) or --name=value "
                + "arguments, the same for every command.",
        subcommands = {
            ServeCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            RebuildCommand.class,
            StatusCommand.class,
            CommandLine.HelpCommand.class
        })
public final class AdmitCommandLine {

    private static final Set<String> OWN_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    private AdmitCommandLine() {}

    /**
     * Runs the command the arguments name, {@code serve} when they name none (no arguments, or Spring arguments
     * only, as before there were commands).
     *
     * @return the exit status, or -1 for a server that is now running
     */
    public static int run(String[] args) {
        CommandLine commandLine = new CommandLine(new AdmitCommandLine());
        commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
            line.getErr().println(line.getCommandName() + ": " + Failures.describe(failure));
            return failure instanceof Failures.UsageException ? 2 : 1;
        });
        int status = commandLine.execute(withDefaultCommand(args));
        CommandLine.ParseResult parsed = commandLine.getParseResult();
        if (status == 0 && parsed != null) {
            CommandLine.ParseResult last = last(parsed);
            boolean served = last.commandSpec().userObject() instanceof ServeCommand
                    && !last.isUsageHelpRequested()
                    && !last.isVersionHelpRequested();
            if (served) {
                return -1;
            }
        }
        return status;
    }

    /** The arguments with {@code serve} in front if they name no command. */
    public static String[] withDefaultCommand(String[] args) {
        if (args.length == 0 || (args[0].startsWith("-") && !OWN_OPTIONS.contains(args[0]))) {
            String[] serve = new String[args.length + 1];
            serve[0] = "serve";
            System.arraycopy(args, 0, serve, 1, args.length);
            return serve;
        }
        return Arrays.copyOf(args, args.length);
    }

    private static CommandLine.ParseResult last(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult result = parsed;
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result;
    }
}
