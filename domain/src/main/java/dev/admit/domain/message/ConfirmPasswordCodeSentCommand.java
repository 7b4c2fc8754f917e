package dev.admit.domain.message;

import dev.admit.domain.user.UserId;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that the reset code issued at {@code codeSequence} (the 1-based sequence of its
 * {@code password.code.added}) was mailed. Sent by the mailer after delivery; confirming twice records it once.
 */
public record ConfirmPasswordCodeSentCommand(
        @TargetAggregateIdentifier UserId userId, long codeSequence) {

    public ConfirmPasswordCodeSentCommand {
        Objects.requireNonNull(userId, "userId");
        if (codeSequence < 1) {
            throw new IllegalArgumentException("codeSequence is 1-based");
        }
    }
}
