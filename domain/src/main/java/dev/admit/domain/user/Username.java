package dev.admit.domain.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.admit.domain.error.InvalidValueException;

/** A login name, unique within its organization: 1 to 200 code points, no surrounding white space. */
public record Username(@JsonValue String value) {

    public Username {
        InvalidValueException.requireLength("username", value, 1, 200);
        if (!value.strip().equals(value)) {
            throw new InvalidValueException("username", "username must not start or end with white space");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Username of(String value) {
        return new Username(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
