package dev.admit.domain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodeCipherTest {

    private static final String SECRET = "K7Q2ZD";
    private static final String CONTEXT = "invite-code:69629023906488334";

    private final SecureRandom random = new SecureRandom();
    private final KeyRing ring = KeyRing.generate("key-1", random);
    private final CodeCipher cipher = new CodeCipher(ring, random);

    @Test
    void a_sealed_secret_opens_again_under_the_same_context() {
        EncryptedCode sealed = cipher.encrypt(SECRET, CONTEXT);

        assertThat(cipher.decrypt(sealed, CONTEXT)).isEqualTo(SECRET);
    }

    @Test
    void a_sealed_secret_names_the_active_key_and_does_not_show_the_secret() {
        EncryptedCode sealed = cipher.encrypt(SECRET, CONTEXT);

        assertThat(sealed.keyId()).isEqualTo("key-1");
        assertThat(sealed.ciphertext()).doesNotContain(SECRET);
        assertThat(sealed.toString()).doesNotContain(SECRET);
    }

    @Test
    void non_ascii_secrets_survive_the_round_trip() {
        String secret = "Grüße-😀";

        assertThat(cipher.decrypt(cipher.encrypt(secret, CONTEXT), CONTEXT)).isEqualTo(secret);
    }

    @Test
    void a_ciphertext_bound_to_one_context_does_not_open_under_another() {
        EncryptedCode sealed = cipher.encrypt(SECRET, "invite-code:1");

        assertThatThrownBy(() -> cipher.decrypt(sealed, "invite-code:2"))
                .isInstanceOf(UndecryptableCodeException.class);
    }

    @Test
    void a_tampered_ciphertext_is_refused() {
        EncryptedCode sealed = cipher.encrypt(SECRET, CONTEXT);
        byte[] raw = Base64.getDecoder().decode(sealed.ciphertext());

        // every byte matters: the nonce, the encrypted secret and the tag
        for (int i = 0; i < raw.length; i++) {
            byte[] tampered = raw.clone();
            tampered[i] ^= 0x01;
            EncryptedCode forged =
                    new EncryptedCode(sealed.keyId(), Base64.getEncoder().encodeToString(tampered));

            assertThatThrownBy(() -> cipher.decrypt(forged, CONTEXT))
                    .as("byte %d flipped", i)
                    .isInstanceOf(UndecryptableCodeException.class);
        }
    }

    @Test
    void a_truncated_ciphertext_is_refused() {
        EncryptedCode sealed = cipher.encrypt(SECRET, CONTEXT);
        byte[] raw = Base64.getDecoder().decode(sealed.ciphertext());
        byte[] shortened = Arrays.copyOf(raw, raw.length - 1);
        byte[] tooShort = Arrays.copyOf(raw, 20);

        assertThatThrownBy(() -> cipher.decrypt(
                        new EncryptedCode("key-1", Base64.getEncoder().encodeToString(shortened)), CONTEXT))
                .isInstanceOf(UndecryptableCodeException.class);
        assertThatThrownBy(() -> cipher.decrypt(
                        new EncryptedCode("key-1", Base64.getEncoder().encodeToString(tooShort)), CONTEXT))
                .isInstanceOf(UndecryptableCodeException.class);
    }

    @Test
    void a_ciphertext_that_is_not_base64_is_refused() {
        assertThatThrownBy(() -> cipher.decrypt(new EncryptedCode("key-1", "not base64 !"), CONTEXT))
                .isInstanceOf(UndecryptableCodeException.class);
    }

    @Test
    void an_unknown_key_id_is_refused() {
        EncryptedCode sealed = cipher.encrypt(SECRET, CONTEXT);

        assertThatThrownBy(() -> cipher.decrypt(new EncryptedCode("key-unknown", sealed.ciphertext()), CONTEXT))
                .isInstanceOf(UndecryptableCodeException.class);
    }

    @Test
    void a_ciphertext_relabelled_with_another_key_id_on_the_ring_is_refused() {
        KeyRing rotated = ring.rotateTo("key-2", KeyRing.newRawKey(random));
        CodeCipher rotatedCipher = new CodeCipher(rotated, random);
        EncryptedCode sealed = rotatedCipher.encrypt(SECRET, CONTEXT);

        assertThatThrownBy(() -> rotatedCipher.decrypt(new EncryptedCode("key-1", sealed.ciphertext()), CONTEXT))
                .isInstanceOf(UndecryptableCodeException.class);
    }

    @Test
    void a_different_key_under_the_same_id_does_not_open_the_code() {
        EncryptedCode sealed = cipher.encrypt(SECRET, CONTEXT);
        CodeCipher impostor = new CodeCipher(KeyRing.generate("key-1", random), random);

        assertThatThrownBy(() -> impostor.decrypt(sealed, CONTEXT)).isInstanceOf(UndecryptableCodeException.class);
    }

    @Test
    void after_rotation_new_codes_use_the_new_key_and_old_codes_still_open() {
        EncryptedCode old = cipher.encrypt(SECRET, CONTEXT);

        KeyRing rotated = ring.rotateTo("key-2", KeyRing.newRawKey(random));
        CodeCipher rotatedCipher = new CodeCipher(rotated, random);
        EncryptedCode fresh = rotatedCipher.encrypt("ABC123", CONTEXT);

        assertThat(rotated.activeKeyId()).isEqualTo("key-2");
        assertThat(rotated.keyIds()).containsExactlyInAnyOrder("key-1", "key-2");
        assertThat(fresh.keyId()).isEqualTo("key-2");
        assertThat(rotatedCipher.decrypt(fresh, CONTEXT)).isEqualTo("ABC123");
        assertThat(rotatedCipher.decrypt(old, CONTEXT)).isEqualTo(SECRET);
    }

    @Test
    void after_the_old_key_is_removed_its_codes_are_refused_and_new_codes_still_open() {
        EncryptedCode old = cipher.encrypt(SECRET, CONTEXT);
        KeyRing rotated = ring.rotateTo("key-2", KeyRing.newRawKey(random));
        EncryptedCode fresh = new CodeCipher(rotated, random).encrypt("ABC123", CONTEXT);

        KeyRing pruned = rotated.without("key-1");
        CodeCipher prunedCipher = new CodeCipher(pruned, random);

        assertThat(pruned.keyIds()).containsExactly("key-2");
        assertThatThrownBy(() -> prunedCipher.decrypt(old, CONTEXT)).isInstanceOf(UndecryptableCodeException.class);
        assertThat(prunedCipher.decrypt(fresh, CONTEXT)).isEqualTo("ABC123");
    }

    @Test
    void the_active_key_cannot_be_removed() {
        assertThatThrownBy(() -> ring.without("key-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_ring_refuses_keys_of_the_wrong_size_and_a_missing_active_key() {
        assertThatThrownBy(() -> KeyRing.of("k", Map.of("k", new byte[16])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyRing.of("other", Map.of("k", new byte[KeyRing.KEY_BYTES])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyRing.of(" ", Map.of(" ", new byte[KeyRing.KEY_BYTES])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_ring_does_not_show_its_keys() {
        byte[] raw = new byte[KeyRing.KEY_BYTES];
        Arrays.fill(raw, (byte) 0x41);
        KeyRing visible = KeyRing.of("k", Map.of("k", raw));

        assertThat(visible.toString())
                .contains("k")
                .doesNotContain(new String(raw, StandardCharsets.ISO_8859_1))
                .doesNotContain(Base64.getEncoder().encodeToString(raw));
    }

    @Test
    void two_encryptions_of_the_same_secret_differ() {
        EncryptedCode first = cipher.encrypt(SECRET, CONTEXT);
        EncryptedCode second = cipher.encrypt(SECRET, CONTEXT);

        assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
        byte[] firstNonce = Arrays.copyOf(Base64.getDecoder().decode(first.ciphertext()), 12);
        byte[] secondNonce = Arrays.copyOf(Base64.getDecoder().decode(second.ciphertext()), 12);
        assertThat(firstNonce).isNotEqualTo(secondNonce);
        assertThat(cipher.decrypt(first, CONTEXT)).isEqualTo(SECRET);
        assertThat(cipher.decrypt(second, CONTEXT)).isEqualTo(SECRET);
    }

    @Test
    void exception_messages_never_contain_the_secret() {
        EncryptedCode sealed = cipher.encrypt(SECRET, CONTEXT);
        byte[] raw = Base64.getDecoder().decode(sealed.ciphertext());
        raw[raw.length - 1] ^= 0x01;
        EncryptedCode tampered = new EncryptedCode("key-1", Base64.getEncoder().encodeToString(raw));

        List<Throwable> failures = new ArrayList<>();
        failures.add(catchThrowable(() -> cipher.decrypt(sealed, "invite-code:someone-else")));
        failures.add(catchThrowable(() -> cipher.decrypt(tampered, CONTEXT)));
        failures.add(catchThrowable(() -> cipher.decrypt(new EncryptedCode("gone", sealed.ciphertext()), CONTEXT)));
        failures.add(catchThrowable(() -> cipher.decrypt(new EncryptedCode("key-1", "%%%"), CONTEXT)));
        failures.add(catchThrowable(() -> cipher.decrypt(new EncryptedCode("key-1", "AAAA"), CONTEXT)));

        assertThat(failures).hasSize(5).allSatisfy(failure -> {
            assertThat(failure).isInstanceOf(UndecryptableCodeException.class);
            assertThat(failure.getMessage()).isNotBlank().doesNotContain(SECRET);
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
                assertThat(t.toString()).doesNotContain(SECRET);
            }
        });
    }
}
