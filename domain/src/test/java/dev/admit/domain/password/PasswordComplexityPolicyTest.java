package dev.admit.domain.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.error.InvalidValueException;
import org.junit.jupiter.api.Test;

class PasswordComplexityPolicyTest {

    private final PasswordComplexityPolicy defaults = PasswordComplexityPolicy.defaults();

    @Test
    void a_password_with_every_class_and_eight_characters_complies() {
        assertThat(defaults.firstBrokenRule("Abcdef1!")).isEmpty();
    }

    @Test
    void length_is_checked_first_and_counted_in_characters_not_bytes() {
        assertThat(defaults.firstBrokenRule("Ab1!")).contains(ErrorCatalogue.PASSWORD_TOO_SHORT);
        assertThat(defaults.firstBrokenRule("Ab1!äöü"))
                .as("7 characters, 10 bytes")
                .contains(ErrorCatalogue.PASSWORD_TOO_SHORT);
        assertThat(defaults.firstBrokenRule("Ab1!äöüß")).isEmpty();
        assertThat(defaults.firstBrokenRule("A1!😀😀😀😀😀"))
                .as("8 code points, 13 UTF-16 units")
                .contains(ErrorCatalogue.PASSWORD_WITHOUT_LOWERCASE);
    }

    @Test
    void then_lower_case_then_upper_case_then_a_digit_then_a_symbol() {
        assertThat(defaults.firstBrokenRule("ABCDEFG1")).contains(ErrorCatalogue.PASSWORD_WITHOUT_LOWERCASE);
        assertThat(defaults.firstBrokenRule("abcdefg1")).contains(ErrorCatalogue.PASSWORD_WITHOUT_UPPERCASE);
        assertThat(defaults.firstBrokenRule("Abcdefg!")).contains(ErrorCatalogue.PASSWORD_WITHOUT_NUMBER);
        assertThat(defaults.firstBrokenRule("Abcdefg1")).contains(ErrorCatalogue.PASSWORD_WITHOUT_SYMBOL);
    }

    @Test
    void letters_and_digits_are_the_ascii_ones_and_anything_else_is_a_symbol() {
        assertThat(defaults.firstBrokenRule("Äbcdefg1!"))
                .as("Ä is a symbol, not upper case")
                .contains(ErrorCatalogue.PASSWORD_WITHOUT_UPPERCASE);
        assertThat(defaults.firstBrokenRule("Abcdefg١"))
                .as("an Arabic-Indic digit is a symbol")
                .contains(ErrorCatalogue.PASSWORD_WITHOUT_NUMBER);
        assertThat(defaults.firstBrokenRule("Abcdef1 "))
                .as("a space is a symbol")
                .isEmpty();
    }

    @Test
    void a_rule_the_policy_does_not_ask_for_is_not_checked() {
        PasswordComplexityPolicy lenient = new PasswordComplexityPolicy(4, false, false, false, false);

        assertThat(lenient.firstBrokenRule("aaaa")).isEmpty();
        assertThat(lenient.firstBrokenRule("aaa")).contains(ErrorCatalogue.PASSWORD_TOO_SHORT);
    }

    @Test
    void check_refuses_with_the_broken_rules_id() {
        assertThatThrownBy(() -> defaults.check("short"))
                .isInstanceOf(DomainException.class)
                .hasMessage("Password is too short (DOMAIN-HuJf6)");
        assertThatThrownBy(() -> defaults.check("Abcdefg1")).hasMessage("Password must contain symbol (DOMAIN-ZDLwA)");
    }

    @Test
    void a_minimum_length_outside_1_to_200_is_refused() {
        assertThatThrownBy(() -> new PasswordComplexityPolicy(0, true, true, true, true))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> new PasswordComplexityPolicy(201, true, true, true, true))
                .isInstanceOf(InvalidValueException.class);
    }
}
