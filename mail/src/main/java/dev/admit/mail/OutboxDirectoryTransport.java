package dev.admit.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;

/**
 * The zero-configuration default: each mail is written as an {@code .eml} file (openable by any mail program) to
 * the outbox directory. Files are named by user and code sequence, never by the code, with every character outside
 * {@code [A-Za-z0-9._-]} percent-encoded (so any user id makes one plain file name), written atomically and readable
 * by their owner only.
 */
public final class OutboxDirectoryTransport implements MailTransport {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final Set<PosixFilePermission> OWNER_ONLY =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path directory;
    private final Session session = Session.getInstance(new Properties());

    public OutboxDirectoryTransport(Path directory) {
        this.directory = directory;
    }

    @Override
    public MimeMessage newMessage(String messageId) {
        return new InviteMessage(session, messageId);
    }

    @Override
    public void deliver(MimeMessage message, String key) throws MessagingException {
        try {
            Files.createDirectories(directory);
            String name = fileName(key);
            Path temporary = ownerOnly(directory)
                    ? Files.createTempFile(directory, name, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : Files.createTempFile(directory, name, ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                message.saveChanges();
                message.writeTo(out);
            }
            Files.move(
                    temporary,
                    directory.resolve(name + ".eml"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MessagingException("could not write to the outbox directory", e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Deletes the mail files (and temporary files a crash left) last written before {@code horizon}. */
    @Override
    public int forgetBefore(Instant horizon) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.{eml,tmp}")) {
            for (Path file : files) {
                try {
                    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(file).toInstant().isBefore(horizon)
                            && Files.deleteIfExists(file)) {
                        removed++;
                    }
                } catch (IOException gone) {
                    // deleted meanwhile, or not ours to delete: the next round looks again
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the outbox directory", e);
        }
        return removed;
    }

    /** The key as a file name: unreserved characters kept, every other byte of its UTF-8 form as {@code %XX}. */
    static String fileName(String key) {
        return encoded(key, true);
    }

    /** Letters, digits, {@code -} and {@code _} kept (and dots after the first character), the rest as {@code %XX}. */
    static String encoded(String text, boolean keepDots) {
        StringBuilder name = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || (keepDots && c == '.' && name.length() > 0)) {
                name.append(c);
            } else {
                name.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return name.toString();
    }

    private static boolean ownerOnly(Path directory) {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
