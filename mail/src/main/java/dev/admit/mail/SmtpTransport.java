package dev.admit.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** Delivery over SMTP through a Spring {@code JavaMailSender} of Admit's own ({@code admit.mail.smtp.*}). */
public final class SmtpTransport implements MailTransport {

    private final JavaMailSenderImpl sender;

    public SmtpTransport(JavaMailSenderImpl sender) {
        this.sender = sender;
    }

    @Override
    public MimeMessage newMessage(String messageId) {
        return new InviteMessage(sender.getSession(), messageId);
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
