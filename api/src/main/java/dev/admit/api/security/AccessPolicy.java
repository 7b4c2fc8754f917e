package dev.admit.api.security;

import dev.admit.domain.user.UserId;

/**
 * Decides whether a caller may act on a user. An embedding service replaces it by declaring its own bean. The
 * caller's organization limit is applied separately, by the domain: a user outside it is answered as missing.
 */
public interface AccessPolicy {

    /**
     * @param target the user acted on, or {@code null} for {@link UserAction#ADD_USER}
     */
    boolean permits(Caller caller, UserAction action, UserId target);
}
