package dev.admit.domain.message;

import org.axonframework.serialization.Revision;

/** The user's email counts as verified. */
@Revision("1")
public record EmailVerified() implements UserEvent {}
