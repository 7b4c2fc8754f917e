package dev.admit.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/** Where finished invite mails go: an SMTP server, or files in the outbox directory. */
public interface MailTransport {

    /** A new, empty message to fill in, which keeps {@code messageId} as its Message-ID on every attempt. */
    MimeMessage newMessage(String messageId);

    /**
     * Delivers {@code message}, named {@code key} (unique per code, free of secrets) where a name is needed.
     *
     * @throws MessagingException if the mail could not be handed over; it is retried later
     */
    void deliver(MimeMessage message, String key) throws MessagingException;

    /**
     * Forgets what it kept of mails delivered before {@code horizon}, where it keeps anything (the outbox
     * directory's files); answers how many it removed.
     */
    default int forgetBefore(java.time.Instant horizon) {
        return 0;
    }
}
