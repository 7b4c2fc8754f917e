package dev.admit.domain.crypto;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that seal invite codes, by key id. New secrets are sealed with the active key; any key still on
 * the ring opens what it sealed, so keys can rotate without invalidating codes already issued.
 */
public final class KeyRing {

    public static final int KEY_BYTES = 32;

    private final String activeKeyId;
    private final Map<String, SecretKey> keys;

    private KeyRing(String activeKeyId, Map<String, SecretKey> keys) {
        this.activeKeyId = activeKeyId;
        this.keys = Map.copyOf(keys);
    }

    /**
     * A ring of raw 32-byte keys by id, sealing with {@code activeKeyId}.
     *
     * @throws IllegalArgumentException if the active key is missing, an id is blank, or a key is not 32 bytes
     */
    public static KeyRing of(String activeKeyId, Map<String, byte[]> rawKeys) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        rawKeys.forEach((id, raw) -> {
            if (id == null || id.isBlank() || id.length() > 64) {
                throw new IllegalArgumentException("key ids must be 1 to 64 characters");
            }
            if (raw == null || raw.length != KEY_BYTES) {
                throw new IllegalArgumentException("key '" + id + "' must be exactly " + KEY_BYTES + " bytes");
            }
            keys.put(id, new SecretKeySpec(raw.clone(), "AES"));
        });
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("the active key '" + activeKeyId + "' is not on the ring");
        }
        return new KeyRing(activeKeyId, keys);
    }

    /** A ring holding one freshly generated key. */
    public static KeyRing generate(String keyId, SecureRandom random) {
        return of(keyId, Map.of(keyId, newRawKey(random)));
    }

    public static byte[] newRawKey(SecureRandom random) {
        byte[] raw = new byte[KEY_BYTES];
        random.nextBytes(raw);
        return raw;
    }

    /** This ring with {@code keyId} added and made active; older keys stay for opening older codes. */
    public KeyRing rotateTo(String keyId, byte[] rawKey) {
        if (keys.containsKey(keyId)) {
            throw new IllegalArgumentException("key '" + keyId + "' is already on the ring; rotate to a new id");
        }
        Map<String, byte[]> raw = new LinkedHashMap<>();
        keys.forEach((id, key) -> raw.put(id, key.getEncoded()));
        raw.put(keyId, rawKey);
        return of(keyId, raw);
    }

    /** This ring without {@code keyId}, which must not be the active key. */
    public KeyRing without(String keyId) {
        if (activeKeyId.equals(keyId)) {
            throw new IllegalArgumentException("the active key cannot be removed");
        }
        if (!keys.containsKey(keyId)) {
            throw new IllegalArgumentException("key '" + keyId + "' is not on the ring");
        }
        Map<String, SecretKey> rest = new LinkedHashMap<>(keys);
        rest.remove(keyId);
        return new KeyRing(activeKeyId, rest);
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    public Set<String> keyIds() {
        return keys.keySet();
    }

    SecretKey activeKey() {
        return keys.get(activeKeyId);
    }

    SecretKey key(String keyId) {
        return keys.get(keyId);
    }

    @Override
    public String toString() {
        return "KeyRing[active=" + activeKeyId + ", keys=" + keys.keySet() + "]";
    }
}
