package dev.admit.domain.message;

import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Issue a new invite code for a user within {@code scope}, superseding any earlier one. */
public record CreateInviteCodeCommand(
        @TargetAggregateIdentifier UserId userId, OrgScope scope, InviteDelivery delivery) {

    public CreateInviteCodeCommand {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(delivery, "delivery");
    }
}
