package dev.admit.service.mail;

import static dev.admit.service.mail.RunningAdmit.sendCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.admit.mail.MailTransport;
import dev.admit.mail.OutboxDirectoryTransport;
import dev.admit.service.mail.RunningAdmit.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Without {@code admit.mail.smtp.host}, invite mails are written as {@code .eml} files to the data directory. */
@ExtendWith(OutputCaptureExtension.class)
class InviteMailOutboxDirectoryTest {

    static final String ORG = "69629012906488334";
    static final Duration DELIVERY = Duration.ofSeconds(30);

    @Test
    void without_smtp_settings_a_mailed_code_is_written_as_an_eml_file_not_named_after_the_code(CapturedOutput output) {
        Path dataDir = RunningAdmit.newDataDir();
        try (RunningAdmit admit = RunningAdmit.start(dataDir, RunningAdmit.quickMailSettings())) {
            assertThat(admit.bean(MailTransport.class)).isInstanceOf(OutboxDirectoryTransport.class);
            String email = InviteMailDeliveryTest.uniqueEmail("file");
            String userId = admit.addHuman(ORG, "File", "Reader", email);

            Answer created = admit.createInviteCode(
                    userId, sendCode("https://app.example/invite?u={{.UserID}}&c={{.Code}}", "Files App"));

            assertThat(created.status()).as("%s", created.body()).isEqualTo(200);
            Path outbox = dataDir.resolve("outbox");
            Path eml = await()
                    .atMost(DELIVERY)
                    .until(
                            () -> filesIn(outbox),
                            files -> files.stream()
                                    .anyMatch(file -> file.toString().endsWith(".eml")))
                    .stream()
                    .filter(file -> file.toString().endsWith(".eml"))
                    .findFirst()
                    .orElseThrow();
            await().atMost(DELIVERY).until(() -> admit.isSent(userId, 2));
            assertThat(filesIn(outbox))
                    .as("one finished file, nothing temporary")
                    .containsExactly(eml);
            InviteMail mail = InviteMail.parse(eml);
            String code = mail.code();
            assertThat(eml.getFileName().toString()).doesNotContain(code);
            assertThat(mail.toAddress()).isEqualTo(email);
            assertThat(mail.toName()).isEqualTo("File Reader");
            assertThat(mail.fromAddress()).isEqualTo("no-reply@admit.localhost");
            assertThat(mail.subject()).isEqualTo("Your invitation to Files App");
            String link = "https://app.example/invite?u=" + userId + "&c=" + code;
            assertThat(mail.text()).contains("Hello File Reader,").contains(link);
            assertThat(mail.html())
                    .contains("Hello File Reader,")
                    .contains("<a href=\"" + link.replace("&", "&amp;") + "\">");

            Answer verified = admit.verifyInviteCode(userId, code);
            assertThat(verified.status()).as("%s", verified.body()).isEqualTo(200);
            assertThat(verified.body().path("details").path("sequence").asText())
                    .isEqualTo("5");
            admit.assertCodesNeitherLoggedNorStored(output, code);
        }
    }

    /** Every file in the directory (none while it does not exist), temporary ones included. */
    static List<Path> filesIn(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
