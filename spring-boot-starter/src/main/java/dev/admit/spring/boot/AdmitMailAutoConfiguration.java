package dev.admit.spring.boot;

import dev.admit.domain.invite.InviteCodes;
import dev.admit.mail.InviteMailDispatcher;
import dev.admit.mail.InviteMailRequests;
import dev.admit.mail.MailTemplates;
import dev.admit.mail.MailTransport;
import dev.admit.mail.OutboxDirectoryTransport;
import dev.admit.mail.SmtpTransport;
import dev.admit.store.AdmitTables;
import dev.admit.store.AdmitTransactionManager;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Invite and password reset delivery: a processor of its own ({@value InviteMailRequests#PROCESSING_GROUP}, in the
 * transaction that appends the code) turns mailed codes into outbox rows, and the dispatcher delivers them over SMTP or into the
 * outbox directory. With {@code admit.mail.enabled=false} none of it exists: no processor, no polling.
 */
@AutoConfiguration(after = AdmitAutoConfiguration.class)
@ConditionalOnProperty(prefix = "admit.mail", name = "enabled", havingValue = "true", matchIfMissing = true)
public class AdmitMailAutoConfiguration {

    /** Admit's own SMTP client when {@code admit.mail.smtp.host} is set, else the outbox directory. */
    @Bean
    @ConditionalOnMissingBean
    public MailTransport inviteMailTransport(AdmitProperties properties) {
        AdmitProperties.Smtp smtp = properties.mail().smtp();
        if (smtp.host() == null || smtp.host().isBlank()) {
            return new OutboxDirectoryTransport(properties.dataDir().resolve("outbox"));
        }
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(smtp.host());
        sender.setPort(smtp.port());
        sender.setUsername(smtp.username());
        sender.setPassword(smtp.password());
        sender.setProtocol(smtp.protocol());
        sender.setDefaultEncoding("UTF-8");
        if (smtp.properties() != null) {
            sender.getJavaMailProperties().putAll(smtp.properties());
        }
        // JavaMail waits forever by default: an SMTP server that accepts and never answers would stall delivery
        for (String timeout : new String[] {"connectiontimeout", "timeout", "writetimeout"}) {
            sender.getJavaMailProperties().putIfAbsent("mail." + smtp.protocol() + "." + timeout, "10000");
        }
        return new SmtpTransport(sender);
    }

    @Bean
    public InviteMailDispatcher inviteMailDispatcher(
            AdmitProperties properties,
            DataSource dataSource,
            AdmitTables tables,
            AdmitEngine engine,
            InviteCodes inviteCodes,
            MailTransport inviteMailTransport,
            Clock clock)
            throws AddressException {
        AdmitProperties.Mail mail = properties.mail();
        InternetAddress from = new InternetAddress(mail.from(), true);
        return new InviteMailDispatcher(
                new JdbcTemplate(dataSource),
                tables,
                new TransactionTemplate(new AdmitTransactionManager(dataSource)),
                engine.eventStore(),
                inviteCodes,
                engine.commandGateway(),
                inviteMailTransport,
                new MailTemplates(mail.templatesDir()),
                clock,
                new InviteMailDispatcher.Settings(
                        from,
                        properties.invite().defaultApplicationName(),
                        properties.invite().defaultUrlTemplate(),
                        properties.password().resetUrlTemplate(),
                        mail.pollInterval(),
                        mail.lease(),
                        mail.initialBackoff(),
                        mail.maxBackoff(),
                        mail.maxAttempts(),
                        mail.retention()));
    }

    @Bean
    public InviteMailRequests inviteMailRequests(
            DataSource dataSource, AdmitTables tables, Clock clock, InviteMailDispatcher inviteMailDispatcher) {
        return new InviteMailRequests(new JdbcTemplate(dataSource), tables, clock, inviteMailDispatcher::wakeUp);
    }
}
