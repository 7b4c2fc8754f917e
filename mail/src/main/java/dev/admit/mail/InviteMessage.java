package dev.admit.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * An invite mail whose {@code Message-ID} names its user and code, the same on every delivery attempt: delivery is
 * at least once (a crash between the server's acceptance and the outbox record sends the mail again), and a receiver
 * drops the repeat by its Message-ID. JavaMail would otherwise give each attempt a fresh id.
 */
final class InviteMessage extends MimeMessage {

    private final String messageId;

    InviteMessage(Session session, String messageId) {
        super(session);
        this.messageId = messageId;
    }

    /** {@code <invite.USER.SEQUENCE@DOMAIN>}, the user id encoded to the characters a Message-ID allows. */
    static String messageId(String userId, long codeSequence, String domain) {
        return "<invite." + OutboxDirectoryTransport.encoded(userId, false) + "." + codeSequence + "@" + domain + ">";
    }

    /** {@code <password-reset.USER.SEQUENCE@DOMAIN>}: a reset mail's id, apart from any invite's. */
    static String resetMessageId(String userId, long codeSequence, String domain) {
        return "<password-reset." + OutboxDirectoryTransport.encoded(userId, false) + "." + codeSequence + "@" + domain
                + ">";
    }

    @Override
    protected void updateMessageID() throws MessagingException {
        setHeader("Message-ID", messageId);
    }
}
