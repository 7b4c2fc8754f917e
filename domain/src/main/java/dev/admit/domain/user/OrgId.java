package dev.admit.domain.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.admit.domain.error.InvalidValueException;

/** The id of the organization that owns a user (the user's resource owner). */
public record OrgId(@JsonValue String value) {

    public OrgId {
        InvalidValueException.requireLength("org_id", value, 1, 200);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static OrgId of(String value) {
        return new OrgId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
