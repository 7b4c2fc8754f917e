package dev.admit.service.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;

/**
 * A real SMTP server (GreenMail) on a fixed loopback port that a test can stop and start again, so a service
 * configured with that port before it starts sees the server go away and come back. A new start is a new server:
 * what the earlier one received is gone.
 */
final class TestSmtpServer implements AutoCloseable {

    private final int port;
    private volatile GreenMail greenMail;

    TestSmtpServer(int port) {
        this.port = port;
    }

    /** A loopback port that was free a moment ago. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    TestSmtpServer start() {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        // the build machine is shared and slow at times
        setup.setServerStartupTimeout(30_000);
        GreenMail server = new GreenMail(setup);
        server.start();
        greenMail = server;
        return this;
    }

    void stop() {
        GreenMail server = greenMail;
        greenMail = null;
        if (server != null) {
            server.stop();
        }
    }

    /** Every mail this server (since its last start) received. */
    List<MimeMessage> received() {
        GreenMail server = greenMail;
        return server == null ? List.of() : List.of(server.getReceivedMessages());
    }

    /** The mails this server (since its last start) received for {@code address}, parsed. */
    List<InviteMail> mailsTo(String address) {
        return received().stream()
                .filter(message -> isAddressedTo(message, address))
                .map(InviteMail::of)
                .toList();
    }

    private static boolean isAddressedTo(MimeMessage message, String address) {
        try {
            var recipients = message.getRecipients(Message.RecipientType.TO);
            return recipients != null
                    && Arrays.stream(recipients)
                            .anyMatch(recipient ->
                                    ((InternetAddress) recipient).getAddress().equalsIgnoreCase(address));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
