package dev.admit.domain.message;

import org.axonframework.serialization.Revision;

/** A link to an identity provider was added: an authentication method. */
@Revision("1")
public record IdpLinkAdded(String idpConfigId, String externalUserId, String displayName) implements UserEvent {}
