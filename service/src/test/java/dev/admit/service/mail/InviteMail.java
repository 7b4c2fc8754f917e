package dev.admit.service.mail;

import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An invite mail as its reader sees it: addresses, subject and the decoded plain-text and HTML parts (each
 * {@code null} when the mail lacks it).
 */
record InviteMail(
        String toAddress,
        String toName,
        String fromAddress,
        String subject,
        String text,
        String html,
        String messageId) {

    private static final Pattern CODE = Pattern.compile("Your invite code: (\\S+)");

    static InviteMail of(MimeMessage message) {
        try {
            InternetAddress to = (InternetAddress) message.getRecipients(Message.RecipientType.TO)[0];
            InternetAddress from = (InternetAddress) message.getFrom()[0];
            String[] parts = new String[2];
            collectTextParts(message, parts);
            return new InviteMail(
                    to.getAddress(),
                    to.getPersonal(),
                    from.getAddress(),
                    message.getSubject(),
                    parts[0],
                    parts[1],
                    message.getMessageID());
        } catch (Exception e) {
            throw new IllegalStateException("not a readable mail", e);
        }
    }

    /** Parses an {@code .eml} file as any mail program would. */
    static InviteMail parse(Path eml) {
        try (InputStream in = Files.newInputStream(eml)) {
            return of(new MimeMessage(Session.getInstance(new Properties()), in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(eml + " is not a MIME message", e);
        }
    }

    private static void collectTextParts(Part part, String[] found) throws Exception {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                collectTextParts(multipart.getBodyPart(i), found);
            }
        } else if (part.isMimeType("text/plain")) {
            found[0] = (String) part.getContent();
        } else if (part.isMimeType("text/html")) {
            found[1] = (String) part.getContent();
        }
    }

    /** The code as the plain-text part states it. */
    String code() {
        Matcher matcher = CODE.matcher(text == null ? "" : text);
        if (!matcher.find()) {
            throw new AssertionError("the mail states no invite code:\n" + text);
        }
        return matcher.group(1);
    }
}
