package dev.admit.domain.message;

import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Issue a new password reset code for a user within {@code scope}, superseding any earlier one. */
public record RequestPasswordResetCommand(
        @TargetAggregateIdentifier UserId userId, OrgScope scope, PasswordResetDelivery delivery) {

    public RequestPasswordResetCommand {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(delivery, "delivery");
    }
}
