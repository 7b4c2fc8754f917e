package dev.admit.domain.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Authenticated encryption of short secrets with AES-256-GCM. Each secret is bound to a context (for invite codes,
 * the user id), so a ciphertext copied to another user's stream does not open. A tampered ciphertext, a wrong
 * context or an unknown key is refused with {@link UndecryptableCodeException}.
 */
public final class CodeCipher {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final KeyRing keyRing;
    private final SecureRandom random;

    public CodeCipher(KeyRing keyRing, SecureRandom random) {
        this.keyRing = keyRing;
        this.random = random;
    }

    public EncryptedCode encrypt(String secret, String context) {
        String keyId = keyRing.activeKeyId();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keyRing.activeKey(), nonce, keyId, context);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
            return new EncryptedCode(keyId, Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String decrypt(EncryptedCode code, String context) {
        SecretKey key = keyRing.key(code.keyId());
        if (key == null) {
            throw new UndecryptableCodeException("the key that sealed this code is not on the key ring");
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(code.ciphertext());
        } catch (IllegalArgumentException e) {
            throw new UndecryptableCodeException("the ciphertext is not base64");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new UndecryptableCodeException("the ciphertext is too short");
        }
        try {
            byte[] nonce = java.util.Arrays.copyOf(in, NONCE_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce, code.keyId(), context);
            byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new UndecryptableCodeException("the ciphertext failed authentication");
        } catch (GeneralSecurityException e) {
            throw new UndecryptableCodeException("the ciphertext could not be opened");
        }
    }

    /**
     * One cipher per thread, initialised afresh (key, nonce, associated data) for every operation: looking the
     * algorithm up on each call cost more than the decryption itself.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " is not available", e);
        }
    });

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String keyId, String context)
            throws GeneralSecurityException {
        Cipher cipher = CIPHERS.get();
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD((keyId + '\u0000' + context).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
