package dev.admit.domain.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.message.CheckPasswordCommand;
import dev.admit.domain.message.InitialPassword;
import dev.admit.domain.message.SetPasswordCommand;
import dev.admit.domain.message.SetPasswordVerification;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import org.junit.jupiter.api.Test;

class NewPasswordTest {

    private static final PasswordComplexityPolicy POLICY = PasswordComplexityPolicy.defaults();
    private static final PasswordHash HASH = PasswordHash.of(PasswordHashTest.BCRYPT);
    private static final String SECRET = "Sup3r-Secret!";

    @Test
    void a_compliant_password_comes_with_its_hash_and_breaks_no_rule() {
        NewPassword password = new NewPassword(SECRET, POLICY, HASH, true);

        assertThat(password.brokenRule()).isEmpty();
        assertThat(password.hash()).isEqualTo(HASH);
        assertThat(password.changeRequired()).isTrue();
    }

    @Test
    void a_refused_password_is_carried_unhashed_with_the_rule_it_breaks() {
        NewPassword password = new NewPassword("short", POLICY, null, false);

        assertThat(password.brokenRule()).contains(ErrorCatalogue.PASSWORD_TOO_SHORT);
    }

    @Test
    void a_compliant_password_without_hash_or_a_refused_one_with_hash_is_a_programming_error() {
        assertThatThrownBy(() -> new NewPassword(SECRET, POLICY, null, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NewPassword("short", POLICY, HASH, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_plain_text_is_1_to_200_characters() {
        assertThatThrownBy(() -> new NewPassword("", POLICY, null, false)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> new NewPassword("Aa1!".repeat(50) + "x", POLICY, HASH, false))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageNotContaining("Aa1!");
    }

    @Test
    void a_checked_password_cannot_match_nothing() {
        assertThatThrownBy(() -> new CheckedPassword(null, true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CheckedPassword.againstNothing().matched()).isFalse();
    }

    @Test
    void no_password_hash_or_code_shows_in_the_text_of_the_messages_that_carry_them() {
        NewPassword password = new NewPassword(SECRET, POLICY, HASH, false);
        UserId user = new UserId("u-1");
        String resetCode = "K7Q2ZD";

        assertThat(password.toString()).doesNotContain(SECRET).doesNotContain("N9qo8");
        assertThat(new SetPasswordCommand(
                                user, OrgScope.any(), password, new SetPasswordVerification.ResetCode(resetCode))
                        .toString())
                .doesNotContain(SECRET)
                .doesNotContain("N9qo8")
                .doesNotContain(resetCode);
        assertThat(new SetPasswordVerification.ResetCode(resetCode).toString()).doesNotContain(resetCode);
        assertThat(new SetPasswordVerification.CurrentPassword(new CheckedPassword(HASH, true)).toString())
                .doesNotContain("N9qo8");
        assertThat(new CheckPasswordCommand(user, OrgScope.any(), new CheckedPassword(HASH, true), HASH).toString())
                .doesNotContain("N9qo8");
        assertThat(new InitialPassword.Chosen(password).toString()).doesNotContain(SECRET);
        assertThat(new InitialPassword.Imported(HASH, false).toString()).doesNotContain("N9qo8");
    }
}
