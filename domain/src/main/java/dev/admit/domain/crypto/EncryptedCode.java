package dev.admit.domain.crypto;

import java.util.Objects;

/**
 * A secret sealed by {@link CodeCipher}: the id of the key that sealed it and, in base64, the nonce followed by the
 * AES-GCM ciphertext and tag. Safe to store and to print.
 */
public record EncryptedCode(String keyId, String ciphertext) {

    public EncryptedCode {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(ciphertext, "ciphertext");
    }
}
