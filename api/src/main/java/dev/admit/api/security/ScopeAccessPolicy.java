package dev.admit.api.security;

import dev.admit.domain.user.UserId;

/**
 * The default rules (behaviour.md §3): adding a user and verifying a code need {@code user.write}; creating and
 * resending a code, setting a password (with or without a current password or reset code) and requesting a reset
 * code need {@code user.write} or being the user, as in ZITADEL; reading a user and listing its authentication
 * methods need {@code user.read} or {@code user.write}, or being the user.
 */
public final class ScopeAccessPolicy implements AccessPolicy {

    @Override
    public boolean permits(Caller caller, UserAction action, UserId target) {
        boolean self = target != null && target.value().equals(caller.subject());
        return switch (action) {
            case ADD_USER, VERIFY_INVITE_CODE -> caller.has(Caller.USER_WRITE);
            case CREATE_INVITE_CODE, RESEND_INVITE_CODE, SET_PASSWORD, REQUEST_PASSWORD_RESET ->
                caller.has(Caller.USER_WRITE) || self;
            case READ_USER, LIST_AUTHENTICATION_METHODS ->
                caller.has(Caller.USER_READ) || caller.has(Caller.USER_WRITE) || self;
        };
    }
}
