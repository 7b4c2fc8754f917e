package dev.admit.domain.message;

import org.axonframework.serialization.Revision;

/** A password given as the user's current one did not match: the audit trail of failed checks. */
@Revision("1")
public record PasswordCheckFailed() implements UserEvent {}
