package dev.admit.projection;

import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import java.util.Objects;

/** Find one user, if it exists and lies within {@code scope}. Answered with an {@code Optional<UserView>}. */
public record FindUserQuery(UserId userId, OrgScope scope) {

    public FindUserQuery {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(scope, "scope");
    }
}
