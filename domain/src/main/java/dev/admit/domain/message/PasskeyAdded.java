package dev.admit.domain.message;

import org.axonframework.serialization.Revision;

/** A passkey was registered: an authentication method. */
@Revision("1")
public record PasskeyAdded(String webAuthNTokenId) implements UserEvent {}
