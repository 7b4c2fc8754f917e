package dev.admit.domain.password;

import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.error.InvalidValueException;
import java.util.Optional;

/**
 * What a new password must contain, checked in ZITADEL's order: length, then a lower-case letter, an upper-case
 * letter, a digit and a symbol, each only where the policy asks for it. Letters and digits are the ASCII ones
 * ({@code [a-z]}, {@code [A-Z]}, {@code [0-9]}); a symbol is any other character. Unlike ZITADEL, which counts a
 * password's UTF-8 bytes, the length is counted in characters (code points), so "ééééé" is five long, not ten.
 *
 * @param minLength the fewest characters, 1 or more
 */
public record PasswordComplexityPolicy(
        int minLength, boolean lowercase, boolean uppercase, boolean number, boolean symbol) {

    public PasswordComplexityPolicy {
        if (minLength < 1 || minLength > 200) {
            throw new InvalidValueException("minLength", "a password's minimum length is 1 to 200 characters");
        }
    }

    /** ZITADEL's default: at least 8 characters, with a lower-case and an upper-case letter, a digit and a symbol. */
    public static PasswordComplexityPolicy defaults() {
        return new PasswordComplexityPolicy(8, true, true, true, true);
    }

    /** The first rule the password breaks, in the order above; empty if it complies. */
    public Optional<ErrorCatalogue> firstBrokenRule(String password) {
        if (password.codePointCount(0, password.length()) < minLength) {
            return Optional.of(ErrorCatalogue.PASSWORD_TOO_SHORT);
        }
        boolean hasLower = false;
        boolean hasUpper = false;
        boolean hasDigit = false;
        boolean hasSymbol = false;
        for (int i = 0; i < password.length(); ) {
            int c = password.codePointAt(i);
            if (c >= 'a' && c <= 'z') {
                hasLower = true;
            } else if (c >= 'A' && c <= 'Z') {
                hasUpper = true;
            } else if (c >= '0' && c <= '9') {
                hasDigit = true;
            } else {
                hasSymbol = true;
            }
            i += Character.charCount(c);
        }
        if (lowercase && !hasLower) {
            return Optional.of(ErrorCatalogue.PASSWORD_WITHOUT_LOWERCASE);
        }
        if (uppercase && !hasUpper) {
            return Optional.of(ErrorCatalogue.PASSWORD_WITHOUT_UPPERCASE);
        }
        if (number && !hasDigit) {
            return Optional.of(ErrorCatalogue.PASSWORD_WITHOUT_NUMBER);
        }
        if (symbol && !hasSymbol) {
            return Optional.of(ErrorCatalogue.PASSWORD_WITHOUT_SYMBOL);
        }
        return Optional.empty();
    }

    /** Refuses a password that breaks a rule, with that rule's error. */
    public void check(String password) {
        Optional<ErrorCatalogue> broken = firstBrokenRule(password);
        if (broken.isPresent()) {
            throw broken.get().exception();
        }
    }
}
