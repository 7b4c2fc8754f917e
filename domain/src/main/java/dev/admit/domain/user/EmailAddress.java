package dev.admit.domain.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.admit.domain.error.InvalidValueException;
import java.util.regex.Pattern;

/**
 * An email address in the RFC 5322 addr-spec form that mail systems accept in practice: a dot-atom local part and
 * a domain of dot-separated labels (or a bracketed address literal), 1 to 200 code points.
 */
public record EmailAddress(@JsonValue String value) {

    private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern ADDR_SPEC = Pattern.compile(
            "^" + ATEXT + "+(?:\\." + ATEXT + "+)*@(?:" + LABEL + "(?:\\." + LABEL + ")*|\\[[0-9A-Fa-f:.]+\\])$");

    public EmailAddress {
        InvalidValueException.requireLength("email", value, 1, 200);
        int at = value.lastIndexOf('@');
        if (at > 64 || !ADDR_SPEC.matcher(value).matches()) {
            throw new InvalidValueException("email", "email must be a valid email address");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static EmailAddress of(String value) {
        return new EmailAddress(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
