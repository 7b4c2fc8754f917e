package dev.admit.examples.host.team;

public record TeamCreated(String teamId, String name) {}
