package dev.admit.api.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;

/** Delivery through Spring Boot's mail sender ({@code spring.mail.*}). */
public final class SmtpTransport implements MailTransport {

    private final JavaMailSender sender;

    public SmtpTransport(JavaMailSender sender) {
        this.sender = sender;
    }

    @Override
    public MimeMessage newMessage() {
        return sender.createMimeMessage();
    }

    @Override
    public void deliver(MimeMessage message, String key) throws MessagingException {
        try {
            sender.send(message);
        } catch (MailException e) {
            throw new MessagingException("SMTP delivery failed", e);
        }
    }
}
