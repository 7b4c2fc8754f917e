package dev.admit.domain.message;

import org.axonframework.serialization.Revision;

/** A link to an identity provider was removed. */
@Revision("1")
public record IdpLinkRemoved(String idpConfigId, String externalUserId) implements UserEvent {}
