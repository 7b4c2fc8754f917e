package dev.admit.service.cli;

import dev.admit.store.AdmitTables;
import dev.admit.store.stream.EventStreamExport;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes stored events as NDJSON. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Writes every stored event as NDJSON, one JSON object per line in global order: globalIndex, "
                + "aggregateType, aggregateId, sequence (from 1), type, revision, timestamp, payload, metadata. "
                + "Invite codes stay sealed: a store that imports them needs the same ADMIT_CRYPTO_* keys.")
final class ExportCommand extends SpringArguments implements Callable<Integer> {

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Write to this file (replaced when done) instead of " + "standard output.")
    Path out;

    @Option(
            names = "--since",
            paramLabel = "GLOBAL_INDEX",
            description = "Only events after this global index, " + "e.g. the last one a previous export wrote.")
    long since;

    @Option(names = "--aggregate", paramLabel = "ID", description = "Only the events of this user's stream.")
    String aggregate;

    @Override
    public Integer call() throws Exception {
        if (since < 0) {
            throw new Failures.UsageException("--since takes a global index, 0 or more");
        }
        EventStreamExport.Selection selection = new EventStreamExport.Selection(since, Optional.ofNullable(aggregate));
        try (ToolContext context = ToolContext.start(properties())) {
            EventStreamExport export = new EventStreamExport(
                    new JdbcTemplate(context.bean(DataSource.class)), context.bean(AdmitTables.class));
            long total = export.count(selection);
            Progress progress = Progress.onStandardError("export", "events");
            long written;
            if (out == null) {
                OutputStream stdout = new BufferedOutputStream(System.out, 1 << 16);
                written = export.writeTo(stdout, selection, done -> progress.update(done, total));
                stdout.flush();
            } else {
                Path partial = out.resolveSibling(out.getFileName() + ".part");
                try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
                    written = export.writeTo(file, selection, done -> progress.update(done, total));
                }
                Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            progress.finish(Progress.count(written) + " events written to "
                    + (out == null ? "standard output" : out.toString()) + " in " + Progress.seconds(progress.elapsed())
                    + " (" + Progress.count((long) progress.perSecond(written)) + "/s)");
        }
        return 0;
    }
}
