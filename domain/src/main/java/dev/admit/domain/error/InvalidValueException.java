package dev.admit.domain.error;

/**
 * A value object refused its input. The message names the field and the limit, never the value itself.
 */
public final class InvalidValueException extends IllegalArgumentException {

    private final String field;

    public InvalidValueException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /**
     * Checks that {@code value} is present, its length in code points lies within [min, max], and it holds no NUL
     * character (which no PostgreSQL text column can store).
     */
    public static String requireLength(String field, String value, int min, int max) {
        if (value == null) {
            if (min == 0) {
                return null;
            }
            throw new InvalidValueException(field, field + " is required");
        }
        int length = value.codePointCount(0, value.length());
        if (length < min || length > max) {
            throw new InvalidValueException(
                    field, field + " must be between " + min + " and " + max + " characters long");
        }
        if (value.indexOf('\u0000') >= 0) {
            throw new InvalidValueException(field, field + " must not contain NUL");
        }
        return value;
    }
}
