package dev.admit.domain.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.admit.domain.error.InvalidValueException;

/** The id of a user and of its event stream: 1 to 200 code points. */
public record UserId(@JsonValue String value) {

    public UserId {
        InvalidValueException.requireLength("user_id", value, 1, 200);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static UserId of(String value) {
        return new UserId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
