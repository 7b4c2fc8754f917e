package dev.admit.domain.password;

/**
 * The result of checking a password the caller gave against the user's stored hash, done by the entry point before
 * the command was sent: {@code checkedAgainst} is the hash it verified against (null when the user had none, and a
 * dummy hash was verified so that the answer took as long), {@code matched} whether the password fit. The aggregate
 * trusts {@code matched} only while its stored hash is still {@code checkedAgainst}.
 */
public record CheckedPassword(PasswordHash checkedAgainst, boolean matched) {

    public CheckedPassword {
        if (checkedAgainst == null && matched) {
            throw new IllegalArgumentException("a password cannot match when there was no hash to check against");
        }
    }

    /** No stored hash was found: the check failed, after the same work as a real one. */
    public static CheckedPassword againstNothing() {
        return new CheckedPassword(null, false);
    }
}
