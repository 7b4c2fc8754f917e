package dev.admit.domain.message;

import dev.admit.domain.user.UserId;

/** The user that was added and the details of the write. */
public record AddHumanUserResult(UserId userId, WriteDetails details) {}
