package dev.admit.api.security;

import dev.admit.domain.user.UserId;

/**
 * The default rules (behaviour.md §3): adding a user and verifying a code need {@code user.write}; creating and
 * resending a code need {@code user.write} or being the user; reading needs {@code user.read} or
 * {@code user.write}, or being the user.
 */
public final class ScopeAccessPolicy implements AccessPolicy {

    @Override
    public boolean permits(Caller caller, UserAction action, UserId target) {
        boolean self = target != null && target.value().equals(caller.subject());
        return switch (action) {
            case ADD_USER, VERIFY_INVITE_CODE -> caller.has(Caller.USER_WRITE);
            case CREATE_INVITE_CODE, RESEND_INVITE_CODE -> caller.has(Caller.USER_WRITE) || self;
            case READ_USER -> caller.has(Caller.USER_READ) || caller.has(Caller.USER_WRITE) || self;
        };
    }
}
