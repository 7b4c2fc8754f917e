package dev.admit.domain.invite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.domain.crypto.CodeCipher;
import dev.admit.domain.crypto.KeyRing;
import dev.admit.domain.crypto.UndecryptableCodeException;
import dev.admit.domain.user.UserId;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InviteCodesTest {

    private final SecureRandom random = new SecureRandom();
    private final InviteCodes inviteCodes = new InviteCodes(
            InviteCodePolicy.DEFAULT,
            new InviteCodeGenerator(random),
            new CodeCipher(KeyRing.generate("k", random), random));
    private final UserId user = new UserId("69629023906488334");

    @Test
    void reset_codes_live_one_hour_by_default_with_the_invite_codes_alphabet_length_and_attempts() {
        InviteCodePolicy reset = inviteCodes.passwordResetCodes().policy();

        assertThat(reset.expiry()).isEqualTo(Duration.ofHours(1));
        assertThat(reset.length()).isEqualTo(6);
        assertThat(reset.alphabet()).isEqualTo(InviteCodePolicy.UPPERCASE_ALPHANUMERIC);
        assertThat(reset.maxAttempts()).isEqualTo(3);
    }

    @Test
    void a_reset_code_opens_as_a_reset_code_and_never_as_an_invite_code_nor_the_reverse() {
        InviteCodes resetCodes = inviteCodes.passwordResetCodes();
        InviteCodes.IssuedCode reset = resetCodes.issue(user);
        InviteCodes.IssuedCode invite = inviteCodes.issue(user);

        assertThat(resetCodes.matches(user, reset.sealed(), reset.plain().reveal()))
                .isTrue();
        assertThatThrownBy(() -> inviteCodes.reveal(user, reset.sealed()))
                .isInstanceOf(UndecryptableCodeException.class);
        assertThatThrownBy(() -> resetCodes.reveal(user, invite.sealed()))
                .isInstanceOf(UndecryptableCodeException.class);
    }

    @Test
    void the_reset_policy_is_configurable() {
        InviteCodePolicy reset = new InviteCodePolicy(8, "ABCDEF", Duration.ofMinutes(15), 5);
        InviteCodes codes = new InviteCodes(
                InviteCodePolicy.DEFAULT,
                reset,
                new InviteCodeGenerator(random),
                new CodeCipher(KeyRing.generate("k", random), random));

        assertThat(codes.passwordResetCodes().policy()).isEqualTo(reset);
        assertThat(codes.passwordResetCodes().issue(user).plain().reveal()).hasSize(8);
        assertThatThrownBy(() -> codes.passwordResetCodes().passwordResetCodes())
                .isInstanceOf(IllegalStateException.class);
    }
}
