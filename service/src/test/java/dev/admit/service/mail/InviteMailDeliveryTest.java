package dev.admit.service.mail;

import static dev.admit.service.mail.RunningAdmit.noVerificationField;
import static dev.admit.service.mail.RunningAdmit.returnCode;
import static dev.admit.service.mail.RunningAdmit.sendCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.admit.projection.UsersProjectionReplay;
import dev.admit.service.mail.RunningAdmit.Answer;
import dev.admit.service.mail.RunningAdmit.OutboxRow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Invite mails end to end: the JSON API of a running service on its embedded PostgreSQL, delivering over SMTP to a
 * real SMTP server in this JVM (behaviour.md §3, CreateInviteCode rule 6 and ResendInviteCode).
 */
@ExtendWith(OutputCaptureExtension.class)
class InviteMailDeliveryTest {

    /** An organization id that needs percent-encoding in a link. */
    static final String ORG = "acme/eu ü&=";

    static final String ORG_IN_LINK = "acme%2Feu%20%C3%BC%26%3D";
    static final String URL_TEMPLATE = "https://app.example/invite?user={{.UserID}}&code={{ .Code }}&org={{.OrgID}}";
    static final String DEFAULT_APPLICATION = "Acme Default Portal";
    static final String DEFAULT_URL_TEMPLATE = "https://portal.example/accept/{{.OrgID}}/{{.UserID}}?c={{.Code}}";

    static final Duration DELIVERY = Duration.ofSeconds(30);
    static final Duration QUIET = Duration.ofSeconds(2);
    static final DateTimeFormatter EXPIRY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    static TestSmtpServer smtp;
    static RunningAdmit admit;

    @BeforeAll
    static void startSmtpAndService() {
        smtp = new TestSmtpServer(TestSmtpServer.freePort()).start();
        Map<String, String> settings = RunningAdmit.smtpSettings(smtp.port());
        settings.put("admit.mail.max-attempts", "100");
        settings.put("admit.invite.default-application-name", DEFAULT_APPLICATION);
        settings.put("admit.invite.default-url-template", DEFAULT_URL_TEMPLATE);
        admit = RunningAdmit.start(RunningAdmit.newDataDir(), settings);
    }

    @AfterAll
    static void stopServiceAndSmtp() {
        try {
            if (admit != null) {
                admit.close();
            }
        } finally {
            smtp.close();
        }
    }

    @Test
    void a_code_created_with_send_code_is_mailed_once_with_its_link_and_then_verifies(CapturedOutput output) {
        String email = uniqueEmail("ada");
        String userId = admit.addHuman(ORG, "Ada", "Lovelace", email);

        Answer created = admit.createInviteCode(userId, sendCode(URL_TEMPLATE, "Acme & Co <Portal>"));

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body().path("details").path("sequence").asText()).isEqualTo("2");
        assertThat(created.body().has("inviteCode")).isFalse();
        InviteMail mail = awaitMailsTo(email, 1).get(0);
        String code = mail.code();
        String link = "https://app.example/invite?user=" + userId + "&code=" + code + "&org=" + ORG_IN_LINK;
        String expiry = EXPIRY.format(changeDate(created).plus(Duration.ofHours(72)));
        assertThat(code).matches("[A-Z0-9]{6}");
        assertThat(mail.toAddress()).isEqualTo(email);
        assertThat(mail.toName()).isEqualTo("Ada Lovelace");
        assertThat(mail.messageId())
                .as("one Message-ID per code, so a receiver can drop a repeated delivery")
                .isEqualTo("<invite." + userId + ".2@admit.localhost>");
        assertThat(mail.subject()).isEqualTo("Your invitation to Acme & Co <Portal>");
        assertThat(mail.text())
                .contains("Hello Ada Lovelace,")
                .contains("you have been invited to Acme & Co <Portal>.")
                .contains(link)
                .contains("Your invite code: " + code)
                .contains("The code is valid until " + expiry);
        assertThat(mail.html())
                .contains("Hello Ada Lovelace,")
                .contains("<strong>Acme &amp; Co &lt;Portal&gt;</strong>")
                .contains("<a href=\"" + link.replace("&", "&amp;") + "\">")
                .contains(">" + code + "</code>")
                .contains("The code is valid until " + expiry);

        awaitSent(userId, 2);
        Answer verified = admit.verifyInviteCode(userId, code);

        assertThat(verified.status()).as("%s", verified.body()).isEqualTo(200);
        assertThat(verified.body().path("details").path("sequence").asText()).isEqualTo("5");
        assertThat(admit.streamOf(userId))
                .containsExactly(
                        "user.human.added",
                        "user.human.invite.code.added",
                        "user.human.invite.code.sent",
                        "user.human.invite.check.succeeded",
                        "user.human.email.verified");
        assertThat(smtp.mailsTo(email)).hasSize(1);
        admit.assertCodesNeitherLoggedNorStored(output, code);
    }

    @Test
    void a_resent_code_is_mailed_anew_and_replaces_the_earlier_one(CapturedOutput output) {
        String email = uniqueEmail("grace");
        String userId = admit.addHuman(ORG, "Grace", "Hopper", email);
        assertThat(admit.createInviteCode(userId, sendCode(URL_TEMPLATE, "Resend App"))
                        .status())
                .isEqualTo(200);
        String firstCode = awaitMailsTo(email, 1).get(0).code();
        awaitSent(userId, 2);

        Answer resent = admit.resendInviteCode(userId);

        assertThat(resent.status()).as("%s", resent.body()).isEqualTo(200);
        assertThat(resent.body().path("details").path("sequence").asText()).isEqualTo("4");
        InviteMail second = awaitMailsTo(email, 2).get(1);
        String secondCode = second.code();
        assertThat(secondCode).isNotEqualTo(firstCode);
        assertThat(second.subject()).isEqualTo("Your invitation to Resend App");
        assertThat(second.text())
                .contains("https://app.example/invite?user=" + userId + "&code=" + secondCode + "&org=" + ORG_IN_LINK);
        awaitSent(userId, 4);

        Answer withOldCode = admit.verifyInviteCode(userId, firstCode);
        assertThat(withOldCode.status()).isEqualTo(400);
        assertThat(withOldCode.body().path("code").asInt()).isEqualTo(3);
        assertThat(withOldCode.body().path("message").asText()).isEqualTo("Code is invalid (COMMAND-Wgn4q)");
        assertThat(withOldCode.body().path("details").path(0).path("id").asText())
                .isEqualTo("COMMAND-Wgn4q");

        Answer withNewCode = admit.verifyInviteCode(userId, secondCode);
        assertThat(withNewCode.status()).as("%s", withNewCode.body()).isEqualTo(200);
        assertThat(withNewCode.body().path("details").path("sequence").asText()).isEqualTo("8");
        assertThat(admit.streamOf(userId))
                .containsExactly(
                        "user.human.added",
                        "user.human.invite.code.added",
                        "user.human.invite.code.sent",
                        "user.human.invite.code.added",
                        "user.human.invite.code.sent",
                        "user.human.invite.check.failed",
                        "user.human.invite.check.succeeded",
                        "user.human.email.verified");
        assertThat(smtp.mailsTo(email)).hasSize(2);
        admit.assertCodesNeitherLoggedNorStored(output, firstCode, secondCode);
    }

    @Test
    void a_returned_code_is_never_mailed(CapturedOutput output) {
        String email = uniqueEmail("alan");
        String userId = admit.addHuman(ORG, "Alan", "Turing", email);

        Answer created = admit.createInviteCode(userId, returnCode());

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body().path("details").path("sequence").asText()).isEqualTo("2");
        String code = created.body().path("inviteCode").asText();
        assertThat(code).matches("[A-Z0-9]{6}");
        // a mailed code issued after the returned one: once it arrives, the mail processor is past the returned one
        String laterEmail = uniqueEmail("barrier");
        String laterUser = admit.addHuman(ORG, "Later", "User", laterEmail);
        assertThat(admit.createInviteCode(laterUser, sendCode(URL_TEMPLATE, "Barrier"))
                        .status())
                .isEqualTo(200);
        awaitMailsTo(laterEmail, 1);
        await().during(QUIET)
                .atMost(QUIET.plusSeconds(5))
                .until(() -> smtp.mailsTo(email).isEmpty());
        assertThat(admit.outboxRowsOf(userId)).isZero();
        assertThat(admit.streamOf(userId)).containsExactly("user.human.added", "user.human.invite.code.added");
        admit.assertCodesNeitherLoggedNorStored(output, code);
    }

    @Test
    void a_code_created_without_a_verification_field_is_mailed_with_the_configured_defaults(CapturedOutput output) {
        String email = uniqueEmail("kurt");
        String userId = admit.addHuman(ORG, "Kurt", "Gödel", email);

        Answer created = admit.createInviteCode(userId, noVerificationField());

        assertThat(created.status()).as("%s", created.body()).isEqualTo(200);
        assertThat(created.body().has("inviteCode")).isFalse();
        InviteMail mail = awaitMailsTo(email, 1).get(0);
        String code = mail.code();
        String link = "https://portal.example/accept/" + ORG_IN_LINK + "/" + userId + "?c=" + code;
        assertThat(mail.toName()).isEqualTo("Kurt Gödel");
        assertThat(mail.subject()).isEqualTo("Your invitation to " + DEFAULT_APPLICATION);
        assertThat(mail.text())
                .contains("Hello Kurt Gödel,")
                .contains("you have been invited to " + DEFAULT_APPLICATION + ".")
                .contains(link);
        assertThat(mail.html())
                .contains("<strong>" + DEFAULT_APPLICATION + "</strong>")
                .contains("<a href=\"" + link + "\">");
        awaitSent(userId, 2);
        assertThat(smtp.mailsTo(email)).hasSize(1);
        admit.assertCodesNeitherLoggedNorStored(output, code);
    }

    @Test
    void a_new_code_without_template_or_name_is_mailed_with_the_previous_codes_ones(CapturedOutput output) {
        String email = uniqueEmail("barbara");
        String userId = admit.addHuman(ORG, "Barbara", "Liskov", email);
        assertThat(admit.createInviteCode(userId, sendCode(URL_TEMPLATE, "Earlier App"))
                        .status())
                .isEqualTo(200);
        String firstCode = awaitMailsTo(email, 1).get(0).code();
        awaitSent(userId, 2);

        Answer created = admit.createInviteCode(userId, noVerificationField());

        assertThat(created.status()).as("%s", created.body()).isEqualTo(200);
        InviteMail second = awaitMailsTo(email, 2).get(1);
        String secondCode = second.code();
        assertThat(second.subject()).isEqualTo("Your invitation to Earlier App");
        assertThat(second.text())
                .contains("https://app.example/invite?user=" + userId + "&code=" + secondCode + "&org=" + ORG_IN_LINK);
        awaitSent(userId, 4);
        assertThat(smtp.mailsTo(email)).hasSize(2);
        admit.assertCodesNeitherLoggedNorStored(output, firstCode, secondCode);
    }

    @Test
    void a_code_created_while_smtp_is_down_is_answered_at_once_and_mailed_once_smtp_is_back(CapturedOutput output) {
        String email = uniqueEmail("katherine");
        String userId = admit.addHuman(ORG, "Katherine", "Johnson", email);
        OutboxRow failing;
        smtp.stop();
        try {
            Answer created = admit.createInviteCode(userId, sendCode(URL_TEMPLATE, "Down App"));

            assertThat(created.status()).as("%s", created.body()).isEqualTo(200);
            assertThat(created.body().path("details").path("sequence").asText()).isEqualTo("2");
            failing = await().atMost(DELIVERY)
                    .until(() -> admit.outboxRow(userId, 2).orElse(null), row -> row != null && row.attempts() >= 1);
            assertThat(failing.state()).isEqualTo("PENDING");
            assertThat(failing.lastError()).matches("[\\w.$]+( <- [\\w.$]+)*");
            assertThat(admit.streamOf(userId)).containsExactly("user.human.added", "user.human.invite.code.added");
        } finally {
            smtp.start();
        }

        InviteMail mail = awaitMailsTo(email, 1).get(0);
        awaitSent(userId, 2);

        assertThat(smtp.mailsTo(email)).hasSize(1);
        String code = mail.code();
        assertThat(failing.lastError()).doesNotContain(code);
        assertThat(admit.streamOf(userId))
                .containsExactly("user.human.added", "user.human.invite.code.added", "user.human.invite.code.sent");
        Answer verified = admit.verifyInviteCode(userId, code);
        assertThat(verified.status()).as("%s", verified.body()).isEqualTo(200);
        assertThat(verified.body().path("details").path("sequence").asText()).isEqualTo("5");
        admit.assertCodesNeitherLoggedNorStored(output, code);
    }

    @Test
    void a_replay_of_the_users_projection_sends_no_mail(CapturedOutput output) throws Exception {
        String email = uniqueEmail("margaret");
        String userId = admit.addHuman(ORG, "Margaret", "Hamilton", email);
        assertThat(admit.createInviteCode(userId, sendCode(URL_TEMPLATE, "Replay App"))
                        .status())
                .isEqualTo(200);
        String code = awaitMailsTo(email, 1).get(0).code();
        awaitSent(userId, 2);
        int mailsBefore = smtp.received().size();
        int rowsBefore = admit.outboxRows();

        UsersProjectionReplay replay = admit.bean(UsersProjectionReplay.class);
        replay.rebuild();
        replay.awaitCaughtUp(DELIVERY);

        // a mail issued after the replay: once it arrives, anything the replay could have caused had its chance
        String laterEmail = uniqueEmail("after-replay");
        String laterUser = admit.addHuman(ORG, "After", "Replay", laterEmail);
        assertThat(admit.createInviteCode(laterUser, sendCode(URL_TEMPLATE, "Replay App"))
                        .status())
                .isEqualTo(200);
        String laterCode = awaitMailsTo(laterEmail, 1).get(0).code();
        awaitSent(laterUser, 2);
        await().during(QUIET)
                .atMost(QUIET.plusSeconds(5))
                .until(() -> smtp.received().size() == mailsBefore + 1);
        assertThat(smtp.mailsTo(email)).hasSize(1);
        assertThat(admit.outboxRows()).isEqualTo(rowsBefore + 1);
        assertThat(admit.streamOf(userId))
                .containsExactly("user.human.added", "user.human.invite.code.added", "user.human.invite.code.sent");
        admit.assertCodesNeitherLoggedNorStored(output, code, laterCode);
    }

    static String uniqueEmail(String name) {
        return name + "." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static List<InviteMail> awaitMailsTo(String email, int count) {
        return await().atMost(DELIVERY).until(() -> smtp.mailsTo(email), mails -> mails.size() >= count);
    }

    static void awaitSent(String userId, long codeSequence) {
        await().atMost(DELIVERY).until(() -> admit.isSent(userId, codeSequence));
    }

    static Instant changeDate(Answer answer) {
        return Instant.parse(answer.body().path("details").path("changeDate").asText());
    }
}
