package dev.admit.domain.message;

import org.axonframework.serialization.Revision;

/** The current invite code was delivered by email. */
@Revision("1")
public record InviteCodeSent() implements UserEvent {}
