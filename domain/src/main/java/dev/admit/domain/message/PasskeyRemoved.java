package dev.admit.domain.message;

import org.axonframework.serialization.Revision;

/** A passkey was removed. */
@Revision("1")
public record PasskeyRemoved(String webAuthNTokenId) implements UserEvent {}
