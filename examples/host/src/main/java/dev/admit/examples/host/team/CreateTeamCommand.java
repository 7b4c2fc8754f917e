package dev.admit.examples.host.team;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CreateTeamCommand(@TargetAggregateIdentifier String teamId, String name) {}
