package dev.admit.domain.message;

import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Check {@code verificationCode} against the user's active invite code. */
public record VerifyInviteCodeCommand(
        @TargetAggregateIdentifier UserId userId, OrgScope scope, String verificationCode) {

    public VerifyInviteCodeCommand {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(scope, "scope");
        InvalidValueException.requireLength("verification_code", verificationCode, 1, 20);
    }

    @Override
    public String toString() {
        return "VerifyInviteCodeCommand[userId=" + userId + ", scope=" + scope + ", verificationCode=redacted]";
    }
}
