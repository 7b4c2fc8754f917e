package dev.admit.domain.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import org.axonframework.serialization.Revision;

/** A human user was created in organization {@code orgId}. */
@Revision("1")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HumanUserAdded(
        UserId userId,
        OrgId orgId,
        String username,
        String givenName,
        String familyName,
        String displayName,
        String preferredLanguage,
        String email)
        implements UserEvent {}
