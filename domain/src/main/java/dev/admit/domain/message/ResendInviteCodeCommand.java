package dev.admit.domain.message;

import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replace the user's active mailed code by a new one, mailed with the same link and application name. */
public record ResendInviteCodeCommand(
        @TargetAggregateIdentifier UserId userId, OrgScope scope) {

    public ResendInviteCodeCommand {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(scope, "scope");
    }
}
