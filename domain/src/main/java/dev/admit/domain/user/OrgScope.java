package dev.admit.domain.user;

import java.util.Objects;

/**
 * The organizations a caller may reach: all of them, or only one. A user outside the caller's scope is treated as
 * if it did not exist, so callers of one organization learn nothing about another's users.
 */
public final class OrgScope {

    private static final OrgScope ANY = new OrgScope(null);

    private final OrgId only;

    private OrgScope(OrgId only) {
        this.only = only;
    }

    public static OrgScope any() {
        return ANY;
    }

    public static OrgScope only(OrgId orgId) {
        return new OrgScope(Objects.requireNonNull(orgId, "orgId"));
    }

    /** {@code any()} for {@code null}, else {@code only(orgId)}. */
    public static OrgScope ofNullable(OrgId orgId) {
        return orgId == null ? ANY : only(orgId);
    }

    public boolean admits(OrgId orgId) {
        return only == null || only.equals(orgId);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OrgScope scope && Objects.equals(only, scope.only);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(only);
    }

    @Override
    public String toString() {
        return only == null ? "OrgScope[any]" : "OrgScope[" + only + "]";
    }
}
