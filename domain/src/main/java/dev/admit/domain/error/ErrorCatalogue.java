package dev.admit.domain.error;

/**
 * Every error the domain can answer with: a stable id (the one ZITADEL clients know), its English text and its
 * category. The wire message is {@code "<text> (<id>)"}.
 */
public enum ErrorCatalogue {
    /** VerifyInviteCode: the user is missing or outside the caller's organization. */
    USER_NOT_FOUND_ON_VERIFY("COMMAND-F5g2h", "User could not be found", ErrorCategory.NOT_FOUND),
    /** Create, Resend and Confirm: the user is missing or outside the caller's organization. */
    USER_NOT_FOUND("COMMAND-Wgvn4", "User could not be found", ErrorCategory.NOT_FOUND),
    INVITE_CODE_INVALID("COMMAND-Wgn4q", "Code is invalid", ErrorCategory.INVALID_ARGUMENT),
    INVITE_CODE_EXPIRED("CODE-QvUQ4P", "Code is expired", ErrorCategory.INVALID_ARGUMENT),
    USER_ALREADY_INITIALIZED("COMMAND-EF34g", "User is already initialized", ErrorCategory.FAILED_PRECONDITION),
    URL_TEMPLATE_INVALID("DOMAIN-oGh5e", "URL Template is invalid", ErrorCategory.INVALID_ARGUMENT),
    INVITE_CODE_NOT_FOUND("COMMAND-Wr3gq", "Code not found", ErrorCategory.FAILED_PRECONDITION),
    USER_ALREADY_EXISTS("COMMAND-7yiox1isql", "User already exists", ErrorCategory.ALREADY_EXISTS),
    USERNAME_TAKEN("USER-Unq4e", "Username is already taken in this organization", ErrorCategory.ALREADY_EXISTS),
    /** A new password shorter than the complexity policy's minimum (counted in characters). */
    PASSWORD_TOO_SHORT("DOMAIN-HuJf6", "Password is too short", ErrorCategory.INVALID_ARGUMENT),
    PASSWORD_WITHOUT_LOWERCASE("DOMAIN-co3Xw", "Password must contain lower case", ErrorCategory.INVALID_ARGUMENT),
    PASSWORD_WITHOUT_UPPERCASE("DOMAIN-VoaRj", "Password must contain upper case", ErrorCategory.INVALID_ARGUMENT),
    PASSWORD_WITHOUT_NUMBER("DOMAIN-ZBv4H", "Password must contain number", ErrorCategory.INVALID_ARGUMENT),
    PASSWORD_WITHOUT_SYMBOL("DOMAIN-ZDLwA", "Password must contain symbol", ErrorCategory.INVALID_ARGUMENT),
    /** VerifyInviteCode: the code's key is not (or no longer) configured, or the sealed code was altered. */
    /**
     * VerifyInviteCode, and SetPassword with a reset code: the code's key is not (or no longer) configured, or the
     * sealed code was altered.
     */
    INVITE_CODE_UNREADABLE(
            "ADMIT-Kx9c2",
            "Code cannot be checked: the key that sealed it is not configured",
            ErrorCategory.FAILED_PRECONDITION),
    /** SetPassword (or a password check): the current password given does not match. */
    PASSWORD_INVALID("COMMAND-3M0fs", "Password is invalid", ErrorCategory.INVALID_ARGUMENT),
    /** SetPassword with the current password (or a password check) for a user who has no password. */
    PASSWORD_NOT_SET("COMMAND-Fds3s", "User has no password", ErrorCategory.FAILED_PRECONDITION),
    /** The password was checked against a hash that a concurrent change has replaced since; check again. */
    PASSWORD_CHANGED_MEANWHILE("ADMIT-Pw5cm", "Password was changed meanwhile; try again", ErrorCategory.ABORTED),
    /** AddHumanUser with a hashed password in a format Admit cannot verify (or with excessive cost parameters). */
    PASSWORD_HASH_UNSUPPORTED("USER-JDk4t", "Password hash encoding is not supported", ErrorCategory.INVALID_ARGUMENT),
    /** SetPassword with a reset code: no reset code is active (none issued, superseded, or out of attempts). */
    PASSWORD_CODE_NOT_FOUND("COMMAND-2M9fs", "Code not found", ErrorCategory.FAILED_PRECONDITION),
    /** SetPassword with a reset code that differs from the active one. */
    PASSWORD_CODE_INVALID("CODE-woT0xc", "Code is invalid", ErrorCategory.INVALID_ARGUMENT),
    /** SetPassword with a reset code past its expiry; the code is dead from then on. */
    PASSWORD_CODE_EXPIRED("CODE-QvUQ4P", "Code is expired", ErrorCategory.INVALID_ARGUMENT),
    /** SetPassword with a reset code after the password was changed since the code was issued. */
    PASSWORD_CODE_USED("ADMIT-Pw7cu", "Code has already been used", ErrorCategory.FAILED_PRECONDITION),
    /** PasswordReset by SMS: Admit sends reset codes only by email. */
    PASSWORD_RESET_BY_SMS_UNSUPPORTED(
            "ADMIT-Pw2sm", "Password reset codes can only be sent by email", ErrorCategory.UNIMPLEMENTED),
    /** The bounded pool that hashes and verifies passwords is full; the request was not started. */
    PASSWORD_HASHING_BUSY(
            "ADMIT-Pw8bz", "Too many password operations at once; try again shortly", ErrorCategory.RESOURCE_EXHAUSTED);

    private final String id;
    private final String text;
    private final ErrorCategory category;

    ErrorCatalogue(String id, String text, ErrorCategory category) {
        this.id = id;
        this.text = text;
        this.category = category;
    }

    public String id() {
        return id;
    }

    public String text() {
        return text;
    }

    public ErrorCategory category() {
        return category;
    }

    /** The message as clients see it: text followed by the id in brackets. */
    public String wireMessage() {
        return text + " (" + id + ")";
    }

    public DomainException exception() {
        return new DomainException(this);
    }

    /** The refusal with a detail that is configuration, never input: a key id, for instance. */
    public DomainException exception(String detail) {
        return new DomainException(this, detail);
    }
}
