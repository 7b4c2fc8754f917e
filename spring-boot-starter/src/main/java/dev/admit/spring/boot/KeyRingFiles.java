package dev.admit.spring.boot;

import dev.admit.domain.crypto.KeyRing;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where the invite-code keys come from: the configuration when it names any, otherwise a file under the data
 * directory, created with one random key on first start and readable by its owner only.
 */
final class KeyRingFiles {

    static final String FILE_NAME = "invite-code-keys.properties";
    private static final String ACTIVE = "active";

    private KeyRingFiles() {}

    static KeyRing load(AdmitProperties.Crypto crypto, Path dataDir, SecureRandom random) throws IOException {
        if (crypto.keys() != null && !crypto.keys().isEmpty()) {
            String active = crypto.activeKey() != null
                    ? crypto.activeKey()
                    : crypto.keys().keySet().iterator().next();
            return KeyRing.of(active, decode(crypto.keys()));
        }
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            create(file, random);
        }
        Properties stored = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            stored.load(in);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        stored.stringPropertyNames().stream()
                .filter(name -> name.startsWith("key."))
                .forEach(name -> keys.put(name.substring(4), stored.getProperty(name)));
        return KeyRing.of(stored.getProperty(ACTIVE), decode(keys));
    }

    private static void create(Path file, SecureRandom random) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection applies
        }
        Properties keys = new Properties();
        keys.setProperty(ACTIVE, "k1");
        keys.setProperty("key.k1", Base64.getEncoder().encodeToString(KeyRing.newRawKey(random)));
        try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            keys.store(out, "Keys sealing Admit's invite codes. Losing them makes issued codes unusable.");
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, byte[]> decode(Map<String, String> keys) {
        Map<String, byte[]> raw = new LinkedHashMap<>();
        keys.forEach((id, value) -> {
            try {
                raw.put(id, Base64.getDecoder().decode(value.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invite-code key '" + id + "' is not valid base64");
            }
        });
        return raw;
    }
}
