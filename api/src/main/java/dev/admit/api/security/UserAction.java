package dev.admit.api.security;

/** What a caller asks to do to a user, one per RPC. */
public enum UserAction {
    ADD_USER,
    READ_USER,
    CREATE_INVITE_CODE,
    RESEND_INVITE_CODE,
    VERIFY_INVITE_CODE
}
