package dev.admit.domain.message;

import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Answer the user's stored password hash (an {@code Optional<PasswordHash>}, empty when the user has no password) so
 * that the entry point can verify a password off the command thread. Appends nothing.
 */
public record ReadPasswordHashCommand(
        @TargetAggregateIdentifier UserId userId, OrgScope scope) {

    public ReadPasswordHashCommand {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(scope, "scope");
    }
}
