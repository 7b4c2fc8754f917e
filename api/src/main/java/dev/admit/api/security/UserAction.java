package dev.admit.api.security;

/** What a caller asks to do to a user, one per RPC. */
public enum UserAction {
    ADD_USER,
    READ_USER,
    CREATE_INVITE_CODE,
    RESEND_INVITE_CODE,
    VERIFY_INVITE_CODE,
    /** SetPassword, with or without a current password or reset code. */
    SET_PASSWORD,
    /** PasswordReset: issue a reset code, returned or mailed. */
    REQUEST_PASSWORD_RESET,
    /** ListAuthenticationMethodTypes. */
    LIST_AUTHENTICATION_METHODS
}
