package dev.admit.service.mail;

import static dev.admit.service.mail.RunningAdmit.sendCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.admit.mail.InviteMailDispatcher;
import dev.admit.service.mail.RunningAdmit.Answer;
import dev.admit.service.mail.RunningAdmit.OutboxRow;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A mail that cannot be delivered is tried {@code admit.mail.max-attempts} times, then waits for an operator. */
@ExtendWith(OutputCaptureExtension.class)
class InviteMailRetryTest {

    static final String ORG = "69629012906488334";
    static final Duration DELIVERY = Duration.ofSeconds(30);

    @Test
    void a_mail_that_keeps_failing_ends_failed_and_is_delivered_once_when_an_operator_retries_it(
            CapturedOutput output) {
        TestSmtpServer smtp = new TestSmtpServer(TestSmtpServer.freePort());
        Map<String, String> settings = RunningAdmit.smtpSettings(smtp.port());
        settings.put("admit.mail.max-attempts", "3");
        try (RunningAdmit admit = RunningAdmit.start(RunningAdmit.newDataDir(), settings)) {
            String email = InviteMailDeliveryTest.uniqueEmail("failing");
            String userId = admit.addHuman(ORG, "Failing", "Person", email);
            Answer created = admit.createInviteCode(userId, sendCode("https://app.example/{{.Code}}", "Retry App"));
            assertThat(created.status()).as("%s", created.body()).isEqualTo(200);

            OutboxRow failed = await().atMost(DELIVERY)
                    .until(
                            () -> admit.outboxRow(userId, 2).orElse(null),
                            row -> row != null && row.state().equals("FAILED"));
            assertThat(failed.attempts()).isEqualTo(3);
            assertThat(failed.lastError()).matches("[\\w.$]+( <- [\\w.$]+)*");
            // FAILED is final until an operator acts, even once SMTP is back
            smtp.start();
            // a mail issued now: once it is sent, the dispatcher has made its rounds with SMTP back
            String barrierEmail = InviteMailDeliveryTest.uniqueEmail("barrier");
            String barrier = admit.addHuman(ORG, "Barrier", "Person", barrierEmail);
            assertThat(admit.createInviteCode(barrier, sendCode("https://app.example/{{.Code}}", "Retry App"))
                            .status())
                    .isEqualTo(200);
            await().atMost(DELIVERY).until(() -> admit.isSent(barrier, 2));
            assertThat(admit.outboxRow(userId, 2)).contains(failed);
            assertThat(smtp.mailsTo(email)).isEmpty();

            int retried = admit.bean(InviteMailDispatcher.class).retryFailed();

            assertThat(retried).isEqualTo(1);
            InviteMail mail = await().atMost(DELIVERY)
                    .until(() -> smtp.mailsTo(email), mails -> !mails.isEmpty())
                    .get(0);
            await().atMost(DELIVERY).until(() -> admit.isSent(userId, 2));
            assertThat(smtp.mailsTo(email)).hasSize(1);
            assertThat(smtp.received()).hasSize(2);
            assertThat(admit.streamOf(userId))
                    .containsExactly("user.human.added", "user.human.invite.code.added", "user.human.invite.code.sent");
            String code = mail.code();
            assertThat(failed.lastError()).doesNotContain(code);
            Answer verified = admit.verifyInviteCode(userId, code);
            assertThat(verified.status()).as("%s", verified.body()).isEqualTo(200);
            admit.assertCodesNeitherLoggedNorStored(output, code);
        } finally {
            smtp.close();
        }
    }
}
