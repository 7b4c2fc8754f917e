package dev.admit.domain.message;

import dev.admit.domain.user.UserId;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that the code issued at {@code codeSequence} (the 1-based sequence of its {@code invite.code.added}) was
 * mailed. Sent by the mailer after delivery; confirming twice records it once.
 */
public record ConfirmInviteCodeSentCommand(
        @TargetAggregateIdentifier UserId userId, long codeSequence) {

    public ConfirmInviteCodeSentCommand {
        Objects.requireNonNull(userId, "userId");
        if (codeSequence < 1) {
            throw new IllegalArgumentException("codeSequence is 1-based");
        }
    }
}
