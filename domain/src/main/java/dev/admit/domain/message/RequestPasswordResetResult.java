package dev.admit.domain.message;

import dev.admit.domain.invite.InviteCode;
import java.util.Optional;

/** The details of the write and, when the caller asked for it, the plain reset code (redacted in {@code toString}). */
public record RequestPasswordResetResult(WriteDetails details, Optional<InviteCode> returnedCode) {}
