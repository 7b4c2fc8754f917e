package dev.admit.api.server;

import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.user.EmailAddress;

/**
 * The wire contract's validation rules, checked before any command: lengths in code points, addresses in RFC 5322
 * form. Messages name the field and the limit, never the value.
 */
final class RequestValidation {

    private RequestValidation() {}

    static void length(String message, String field, String value, int min, int max) {
        if (value.indexOf('\u0000') >= 0) {
            // PostgreSQL's text cannot hold it: refused here rather than failing in the database
            throw WireErrors.invalidArgument("invalid " + message + "." + field + ": value must not contain NUL")
                    .exception();
        }
        int length = value.codePointCount(0, value.length());
        if (length < min || length > max) {
            String limit = min == 0
                    ? "at most " + max + " characters"
                    : "between " + min + " and " + max + " characters, inclusive";
            throw WireErrors.invalidArgument("invalid " + message + "." + field + ": value length must be " + limit)
                    .exception();
        }
    }

    static void email(String message, String field, String value) {
        length(message, field, value, 1, 200);
        try {
            new EmailAddress(value);
        } catch (InvalidValueException e) {
            throw WireErrors.invalidArgument(
                            "invalid " + message + "." + field + ": value must be a valid email address")
                    .exception();
        }
    }

    static void required(String message, String field, boolean present) {
        if (!present) {
            throw WireErrors.invalidArgument("invalid " + message + "." + field + ": value is required")
                    .exception();
        }
    }

    static void unsupported(String field, boolean present) {
        if (present) {
            throw WireErrors.unimplemented(field + " is not supported by this service yet")
                    .exception();
        }
    }
}
