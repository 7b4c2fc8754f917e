package dev.admit.domain.message;

import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.password.NewPassword;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Set the user's password, within {@code scope}, after {@code verification}. Checked in this order: the user exists
 * in the scope; the verification holds; the new password complies with its policy. {@code userAgentId} and
 * {@code triggerOrigin} are recorded on the change where given.
 */
public record SetPasswordCommand(
        @TargetAggregateIdentifier UserId userId,
        OrgScope scope,
        NewPassword newPassword,
        SetPasswordVerification verification,
        String userAgentId,
        String triggerOrigin) {

    public SetPasswordCommand {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(newPassword, "newPassword");
        Objects.requireNonNull(verification, "verification");
        InvalidValueException.requireLength("user_agent_id", userAgentId, 0, 200);
        InvalidValueException.requireLength("trigger_origin", triggerOrigin, 0, 200);
    }

    public SetPasswordCommand(
            UserId userId, OrgScope scope, NewPassword newPassword, SetPasswordVerification verification) {
        this(userId, scope, newPassword, verification, null, null);
    }

    @Override
    public String toString() {
        return "SetPasswordCommand[userId=" + userId + ", scope=" + scope + ", newPassword=redacted, verification="
                + verification.getClass().getSimpleName() + "]";
    }
}
