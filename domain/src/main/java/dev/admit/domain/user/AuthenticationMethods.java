package dev.admit.domain.user;

import java.util.HashSet;
import java.util.Set;

/**
 * The user's authentication methods, reduced from its events: a password, passkeys by token id, and identity
 * provider links by provider and external user id. A user with any of them is initialized.
 */
public record AuthenticationMethods(boolean password, Set<String> passkeys, Set<IdpLink> idpLinks) {

    /** An identity-provider link: the provider's config id and the user's id at that provider. */
    public record IdpLink(String idpConfigId, String externalUserId) {}

    public static final AuthenticationMethods NONE = new AuthenticationMethods(false, Set.of(), Set.of());

    public AuthenticationMethods {
        passkeys = Set.copyOf(passkeys);
        idpLinks = Set.copyOf(idpLinks);
    }

    public boolean any() {
        return password || !passkeys.isEmpty() || !idpLinks.isEmpty();
    }

    public AuthenticationMethods withPassword() {
        return new AuthenticationMethods(true, passkeys, idpLinks);
    }

    public AuthenticationMethods withPasskey(String tokenId) {
        return new AuthenticationMethods(password, plus(passkeys, tokenId), idpLinks);
    }

    public AuthenticationMethods withoutPasskey(String tokenId) {
        return new AuthenticationMethods(password, minus(passkeys, tokenId), idpLinks);
    }

    public AuthenticationMethods withIdpLink(IdpLink link) {
        return new AuthenticationMethods(password, passkeys, plus(idpLinks, link));
    }

    public AuthenticationMethods withoutIdpLink(IdpLink link) {
        return new AuthenticationMethods(password, passkeys, minus(idpLinks, link));
    }

    private static <T> Set<T> plus(Set<T> set, T element) {
        Set<T> copy = new HashSet<>(set);
        copy.add(element);
        return copy;
    }

    private static <T> Set<T> minus(Set<T> set, T element) {
        Set<T> copy = new HashSet<>(set);
        copy.remove(element);
        return copy;
    }
}
