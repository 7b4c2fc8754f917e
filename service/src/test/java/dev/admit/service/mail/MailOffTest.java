package dev.admit.service.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.mail.InviteMailDispatcher;
import dev.admit.service.AdmitApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** With mail delivery off there is no dispatcher, nothing polls, and a mailed code leaves no outbox row. */
class MailOffTest {

    @Test
    void with_mail_off_no_dispatcher_exists_and_no_outbox_row_is_written() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "mail-off-");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AdmitApplication.class)
                .properties(
                        "admit.data-dir=" + dataDir,
                        "admit.mail.enabled=false",
                        "admit.server.enabled=false",
                        "spring.flyway.enabled=false",
                        "logging.config=classpath:admit-logback.xml")
                .run()) {
            // the dispatcher is the only poller: without it, nothing of mail runs
            assertThat(context.getBeanNamesForType(InviteMailDispatcher.class)).isEmpty();

            CommandGateway commands = context.getBean(CommandGateway.class);
            UserId user = context.getBean(UserIdGenerator.class).next();
            OrgId org = new OrgId("31337");
            commands.sendAndWait(new AddHumanUserCommand(
                    user, org, null, "Mail", "Off", null, null, new EmailAddress("off@example.com"), false));
            commands.sendAndWait(
                    new CreateInviteCodeCommand(user, OrgScope.only(org), InviteDelivery.SendCode.withDefaults()));

            assertThat(context.getBean(JdbcTemplate.class)
                            .queryForObject("SELECT count(*) FROM admit.invite_mail_outbox", Long.class))
                    .isZero();
        }
    }
}
