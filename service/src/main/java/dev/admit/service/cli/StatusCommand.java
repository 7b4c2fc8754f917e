package dev.admit.service.cli;

import dev.admit.projection.ParkedEventsOperator;
import dev.admit.projection.ProjectionStatus;
import dev.admit.projection.ProjectionStatusReader;
import dev.admit.spring.boot.AdmitEngine;
import dev.admit.store.AdmitTables;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine.Command;

/** Prints where the read model and the mail outbox stand. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Prints the users projection's position, lag in events and seconds, segments and their owners, "
                + "its parked events and any interrupted rebuild, and the mail outbox by state.")
final class StatusCommand extends SpringArguments implements Callable<Integer> {

    private static final int PARKED_SHOWN = 20;

    @Override
    public Integer call() throws Exception {
        try (ToolContext context = ToolContext.start(properties())) {
            AdmitEngine engine = context.bean(AdmitEngine.class);
            JdbcTemplate jdbc = new JdbcTemplate(context.bean(DataSource.class));
            AdmitTables tables = context.bean(AdmitTables.class);
            print(System.out, engine.projectionStatus(), engine.parkedEvents(), jdbc, tables);
        }
        return 0;
    }

    private static void print(
            PrintStream out,
            ProjectionStatusReader reader,
            ParkedEventsOperator parked,
            JdbcTemplate jdbc,
            AdmitTables tables) {
        ProjectionStatus status = reader.read();
        out.println("event store: head at global index " + status.headIndex());
        out.println("processor " + status.processor() + ": lag " + Progress.count(status.lagEvents()) + " events, "
                + status.lag().toSeconds() + " s" + (status.isCaughtUp() ? " (caught up)" : ""));
        if (status.segments().isEmpty()) {
            out.println("  no segments yet: it has not started on any node");
        }
        for (ProjectionStatus.Segment segment : status.segments()) {
            out.println("  segment " + segment.segment() + ": position " + segment.position() + ", owner "
                    + (segment.owner() == null ? "none" : segment.owner()));
        }
        out.println("parked events: " + status.parkedEvents());
        parked.list(PARKED_SHOWN)
                .forEach(event -> out.println("  user " + event.userId() + " sequence " + event.sequence() + " ("
                        + event.eventType() + "): " + event.reason()));
        var rebuild = jdbc.queryForList(
                tables.sql("SELECT position, events_applied, updated_at FROM {users_rebuild_progress}"));
        if (rebuild.isEmpty()) {
            out.println("rebuild: none interrupted");
        } else {
            Map<String, Object> row = rebuild.get(0);
            out.println("rebuild: interrupted at global index " + row.get("position") + " after "
                    + row.get("events_applied") + " events (last progress " + row.get("updated_at")
                    + "); 'admit rebuild' carries it on");
        }
        Map<String, Long> outbox = new TreeMap<>();
        jdbc.query(tables.sql("SELECT state, count(*) FROM {invite_mail_outbox} GROUP BY state"), rs -> {
            outbox.put(rs.getString(1), rs.getLong(2));
        });
        StringBuilder states = new StringBuilder();
        for (String state : new String[] {"PENDING", "SENT", "FAILED", "SKIPPED"}) {
            states.append(states.isEmpty() ? "" : ", ")
                    .append(state.toLowerCase(java.util.Locale.ROOT))
                    .append(' ')
                    .append(outbox.getOrDefault(state, 0L));
        }
        outbox.keySet().stream()
                .filter(state -> !java.util.Set.of("PENDING", "SENT", "FAILED", "SKIPPED")
                        .contains(state))
                .forEach(state -> states.append(", ")
                        .append(state.toLowerCase(java.util.Locale.ROOT))
                        .append(' ')
                        .append(outbox.get(state)));
        out.println("mail outbox: " + states);
        out.println("status: "
                + (status.isCaughtUp() ? "caught up" : "behind by " + Progress.count(status.lagEvents()) + " events")
                + ", " + status.parkedEvents() + " parked, " + outbox.getOrDefault("PENDING", 0L) + " mails pending, "
                + outbox.getOrDefault("FAILED", 0L) + " failed");
    }
}
