package dev.admit.api.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;

/**
 * The zero-configuration default: a random HS256 secret kept under the data directory (so tokens survive
 * restarts) and, at each start, a fresh admin token ({@code user.read user.write}, every organization) written
 * next to it for the operator to use. Both files are readable by their owner only.
 */
public final class AdminToken {

    public static final String SECRET_FILE = "jwt-hmac-secret";
    public static final String TOKEN_FILE = "admin.jwt";
    public static final Duration LIFETIME = Duration.ofDays(30);

    private AdminToken() {}

    /** The secret under {@code dataDir}, created on first use. */
    public static byte[] loadOrCreateSecret(Path dataDir, SecureRandom random) throws IOException {
        Path file = dataDir.resolve(SECRET_FILE);
        if (!Files.exists(file)) {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            writePrivately(file, Base64.getEncoder().encodeToString(secret));
        }
        return Base64.getDecoder()
                .decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
    }

    /** Writes a new admin token signed with {@code secret} and returns the file's path. */
    public static Path writeAdminToken(Path dataDir, byte[] secret, Clock clock) throws IOException {
        Date now = Date.from(clock.instant());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("admit-admin")
                .claim("scope", Caller.USER_READ + " " + Caller.USER_WRITE)
                .issueTime(now)
                .expirationTime(Date.from(clock.instant().plus(LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign the admin token", e);
        }
        Path file = dataDir.resolve(TOKEN_FILE);
        writePrivately(file, jwt.serialize() + "\n");
        return file;
    }

    private static void writePrivately(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = Files.createTempFile(
                file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
