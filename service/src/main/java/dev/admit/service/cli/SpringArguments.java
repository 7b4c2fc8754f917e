package dev.admit.service.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Unmatched;

/** A command that passes its {@code --name=value} arguments on to the service's configuration. */
abstract class SpringArguments {

    private static final Pattern PROPERTY = Pattern.compile("--[a-zA-Z][a-zA-Z0-9._\\-\\[\\]]*=.*");

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    /** The arguments, each checked to be a property setting rather than a mistyped option. */
    List<String> properties() {
        for (String argument : unmatched) {
            if (!PROPERTY.matcher(argument).matches()) {
                throw new Failures.UsageException(
                        "unknown option or argument '" + argument + "' (configuration is given as --name=value)");
            }
        }
        return List.copyOf(unmatched);
    }
}
