package dev.admit.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxDirectoryTransportTest {

    @TempDir
    Path outbox;

    @Test
    void any_user_id_makes_one_plain_file_in_the_outbox_and_only_its_owner_reads_it() throws Exception {
        OutboxDirectoryTransport transport = new OutboxDirectoryTransport(outbox);
        MimeMessage message = transport.newMessage("<invite.1.2@admit.localhost>");
        message.setText("hello");

        transport.deliver(message, "../../etc/passwd\u0000/ü-3");

        try (var files = Files.list(outbox)) {
            assertThat(files.toList()).singleElement().satisfies(file -> {
                assertThat(file.getParent()).isEqualTo(outbox);
                assertThat(file.getFileName().toString()).isEqualTo("%2E.%2F..%2Fetc%2Fpasswd%00%2F%C3%BC-3.eml");
                assertThat(Files.getPosixFilePermissions(file))
                        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            });
        }
    }

    @Test
    void a_message_keeps_its_message_id_however_often_it_is_saved() throws Exception {
        MimeMessage message =
                new OutboxDirectoryTransport(outbox).newMessage(InviteMessage.messageId("a.b/c..d", 7, "acme.example"));
        message.setText("hello");

        message.saveChanges();
        message.saveChanges();

        assertThat(message.getMessageID()).isEqualTo("<invite.a%2Eb%2Fc%2E%2Ed.7@acme.example>");
    }

    @Test
    void an_ordinary_key_keeps_its_name() {
        assertThat(OutboxDirectoryTransport.fileName("386653658491158528-2")).isEqualTo("386653658491158528-2");
    }
}
