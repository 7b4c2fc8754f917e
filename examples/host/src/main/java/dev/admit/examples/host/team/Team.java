package dev.admit.examples.host.team;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** The host's own aggregate, on the host's own Axon configuration and event store. */
@Aggregate
public class Team {

    @AggregateIdentifier
    private String teamId;

    protected Team() {}

    @CommandHandler
    public Team(CreateTeamCommand command) {
        if (command.name() == null || command.name().isBlank()) {
            throw new IllegalArgumentException("a team needs a name");
        }
        apply(new TeamCreated(command.teamId(), command.name()));
    }

    @EventSourcingHandler
    void on(TeamCreated event) {
        teamId = event.teamId();
    }
}
