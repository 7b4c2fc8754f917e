package dev.admit.api.security;

import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, from a verified bearer token: the subject ({@code sub}), the granted scopes ({@code scope}) and,
 * when the token is limited to one organization, that organization ({@code org_id}).
 */
public record Caller(String subject, Set<String> scopes, Optional<OrgId> organization) {

    public static final String USER_READ = "user.read";
    public static final String USER_WRITE = "user.write";

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean has(String scope) {
        return scopes.contains(scope);
    }

    /** The organizations this caller may see users of. */
    public OrgScope orgScope() {
        return OrgScope.ofNullable(organization.orElse(null));
    }

    @Override
    public String toString() {
        return "Caller[subject=" + subject + ", scopes=" + scopes + ", organization=" + organization + "]";
    }
}
