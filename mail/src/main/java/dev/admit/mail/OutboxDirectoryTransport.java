package dev.admit.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The zero-configuration default: each mail is written as an {@code .eml} file (openable by any mail program) to
 * the outbox directory. Files are named by user and code sequence, never by the code, and written atomically.
 */
public final class OutboxDirectoryTransport implements MailTransport {

    private final Path directory;
    private final Session session = Session.getInstance(new Properties());

    public OutboxDirectoryTransport(Path directory) {
        this.directory = directory;
    }

    @Override
    public MimeMessage newMessage() {
        return new MimeMessage(session);
    }

    @Override
    public void deliver(MimeMessage message, String key) throws MessagingException {
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, key, ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                message.saveChanges();
                message.writeTo(out);
            }
            Files.move(
                    temporary,
                    directory.resolve(key + ".eml"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MessagingException("could not write to the outbox directory", e);
        }
    }

    public Path directory() {
        return directory;
    }
}
