package dev.admit.service.cli;

import dev.admit.projection.RebuildResult;
import dev.admit.projection.UsersProjectionReplay;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Rebuilds the users projection, blue/green. */
@Command(
        name = "rebuild",
        mixinStandardHelpOptions = true,
        description = "Rebuilds the users projection from the event store: a shadow table is written while reads use "
                + "the live one, then swapped in within one short transaction. A serving node keeps serving and "
                + "carries on from the swapped-in table. A rebuild that was killed carries on where it stopped; two "
                + "at once are refused.")
final class RebuildCommand extends SpringArguments implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        try (ToolContext context = ToolContext.start(properties())) {
            Progress progress = Progress.onStandardError("rebuild", "events");
            RebuildResult result =
                    context.bean(UsersProjectionReplay.class).rebuild(at -> progress.update(at.position(), at.head()));
            progress.finish(Progress.count(result.eventsApplied()) + " events in "
                    + Progress.seconds(result.took()) + " ("
                    + Progress.count((long) (result.eventsApplied()
                            / Math.max(0.001, result.took().toMillis() / 1000.0)))
                    + "/s)" + (result.resumed() ? ", carried on from an interrupted run" : "")
                    + "; the users projection stands at global index " + result.position());
        }
        return 0;
    }
}
