package dev.admit.domain.message;

import org.axonframework.serialization.Revision;

/** The current password reset code was delivered by email. */
@Revision("1")
public record PasswordCodeSent() implements UserEvent {}
