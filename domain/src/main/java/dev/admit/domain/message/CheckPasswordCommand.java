package dev.admit.domain.message;

import dev.admit.domain.password.CheckedPassword;
import dev.admit.domain.password.PasswordHash;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record the outcome of a password check the entry point made: a mismatch is recorded as a failed check; a match whose
 * stored hash is weaker than the current settings replaces it by {@code rehash} (null when it is not weaker).
 */
public record CheckPasswordCommand(
        @TargetAggregateIdentifier UserId userId, OrgScope scope, CheckedPassword checked, PasswordHash rehash) {

    public CheckPasswordCommand {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(checked, "checked");
        if (rehash != null && !checked.matched()) {
            throw new IllegalArgumentException("only a password that matched is re-encoded");
        }
    }
}
