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
import java.util.Map;
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

    @Test
    void sent_rows_and_their_files_are_removed_after_the_retention_and_failed_rows_stay() {
        Path dataDir = RunningAdmit.newDataDir();
        Map<String, String> settings = RunningAdmit.quickMailSettings();
        settings.put("admit.mail.retention", "3s");
        try (RunningAdmit admit = RunningAdmit.start(dataDir, settings)) {
            String userId = admit.addHuman(ORG, "Kept", "Briefly", InviteMailDeliveryTest.uniqueEmail("retention"));
            admit.jdbc().update("""
                    INSERT INTO admit.invite_mail_outbox (user_id, code_sequence, state, attempts, next_attempt_at,
                        last_error, created_at, updated_at)
                    VALUES ('failed-user', 2, 'FAILED', 12, now(), 'refused', now() - interval '1 day',
                        now() - interval '1 day')""");
            assertThat(admit.createInviteCode(userId, sendCode("https://app.example/i/{{.Code}}", "Retention"))
                            .status())
                    .isEqualTo(200);
            Path outbox = dataDir.resolve("outbox");
            await().atMost(DELIVERY).until(() -> admit.isSent(userId, 2));
            assertThat(filesIn(outbox)).hasSize(1);

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> filesIn(outbox).isEmpty()
                            && admit.outboxRow(userId, 2).isEmpty());
            assertThat(admit.outboxRow("failed-user", 2))
                    .as("a FAILED mail waits for an operator")
                    .hasValueSatisfying(row -> assertThat(row.state()).isEqualTo("FAILED"));
            assertThat(admit.streamOf(userId))
                    .as("the stream keeps the record of the mail")
                    .endsWith("user.human.invite.code.sent");
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
