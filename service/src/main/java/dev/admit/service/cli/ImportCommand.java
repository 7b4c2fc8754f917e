package dev.admit.service.cli;

import dev.admit.spring.boot.AdmitEngine;
import dev.admit.store.AdmitTables;
import dev.admit.store.stream.EventStreamImport;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reads NDJSON events into the store. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Reads events in the NDJSON of 'admit export' into the store the configuration names. Each line "
                + "is checked first (known type and revision, a payload that reads, a sequence that follows the "
                + "stream's end); a bad line stops the import with its number and reason, and nothing of its batch "
                + "is stored. Events already stored are skipped, so importing a file twice changes nothing. Sealed "
                + "invite codes need the exporting store's ADMIT_CRYPTO_* keys.")
final class ImportCommand extends SpringArguments implements Callable<Integer> {

    @Option(names = "--in", paramLabel = "FILE", description = "Read this file instead of standard input.")
    Path in;

    @Override
    public Integer call() throws Exception {
        try (ToolContext context = ToolContext.start(properties());
                InputStream input = in == null ? System.in : Files.newInputStream(in)) {
            AdmitEngine engine = context.bean(AdmitEngine.class);
            EventStreamImport importer = new EventStreamImport(
                    new JdbcTemplate(context.bean(DataSource.class)),
                    context.bean(AdmitTables.class),
                    engine.eventSerializer(),
                    engine.transactionManager());
            long total = in == null ? -1 : lines(in);
            Progress progress = Progress.onStandardError("import", "lines");
            EventStreamImport.Outcome outcome =
                    importer.readFrom(new BufferedInputStream(input, 1 << 16), done -> progress.update(done, total));
            progress.finish(Progress.count(outcome.lines()) + " lines read, " + Progress.count(outcome.imported())
                    + " events stored, " + Progress.count(outcome.alreadyStored()) + " already there, in "
                    + Progress.seconds(progress.elapsed()));
        }
        return 0;
    }

    private static long lines(Path file) throws java.io.IOException {
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
