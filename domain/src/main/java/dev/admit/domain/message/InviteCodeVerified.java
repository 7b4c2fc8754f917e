package dev.admit.domain.message;

import org.axonframework.serialization.Revision;

/** The current invite code was verified. */
@Revision("1")
public record InviteCodeVerified() implements UserEvent {}
