package dev.admit.api.config;

import dev.admit.api.mail.InviteMailDispatcher;
import dev.admit.api.mail.InviteMailRequests;
import dev.admit.api.mail.MailTemplates;
import dev.admit.api.mail.MailTransport;
import dev.admit.api.mail.OutboxDirectoryTransport;
import dev.admit.api.mail.SmtpTransport;
import dev.admit.domain.invite.InviteCodes;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.mail.MailSenderAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Invite delivery: a processor of its own ({@value InviteMailRequests#PROCESSING_GROUP}) turns mailed codes into
 * outbox rows as they are appended, and the dispatcher delivers them over SMTP or into the outbox directory.
 */
@AutoConfiguration(after = {AdmitAutoConfiguration.class, MailSenderAutoConfiguration.class})
@ConditionalOnProperty(prefix = "admit.mail", name = "enabled", havingValue = "true", matchIfMissing = true)
public class AdmitMailAutoConfiguration {

    @Bean
    public MailTransport inviteMailTransport(AdmitProperties properties, ObjectProvider<JavaMailSender> smtp) {
        JavaMailSender sender = smtp.getIfAvailable();
        if (sender instanceof JavaMailSenderImpl impl) {
            // JavaMail waits forever by default: an SMTP server that accepts and never answers would stall delivery
            for (String timeout :
                    new String[] {"mail.smtp.connectiontimeout", "mail.smtp.timeout", "mail.smtp.writetimeout"}) {
                impl.getJavaMailProperties().putIfAbsent(timeout, "10000");
            }
        }
        return sender != null
                ? new SmtpTransport(sender)
                : new OutboxDirectoryTransport(properties.dataDir().resolve("outbox"));
    }

    @Bean
    public InviteMailDispatcher inviteMailDispatcher(
            AdmitProperties properties,
            JdbcTemplate jdbcTemplate,
            PlatformTransactionManager transactionManager,
            EventStore eventStore,
            InviteCodes inviteCodes,
            CommandGateway commandGateway,
            MailTransport inviteMailTransport,
            Clock clock)
            throws AddressException {
        AdmitProperties.Mail mail = properties.mail();
        InternetAddress from = new InternetAddress(mail.from(), true);
        return new InviteMailDispatcher(
                jdbcTemplate,
                new TransactionTemplate(transactionManager),
                eventStore,
                inviteCodes,
                commandGateway,
                inviteMailTransport,
                new MailTemplates(mail.templatesDir()),
                clock,
                new InviteMailDispatcher.Settings(
                        from,
                        properties.invite().defaultApplicationName(),
                        properties.invite().defaultUrlTemplate(),
                        mail.pollInterval(),
                        mail.lease(),
                        mail.initialBackoff(),
                        mail.maxBackoff(),
                        mail.maxAttempts()));
    }

    @Bean
    public InviteMailRequests inviteMailRequests(
            JdbcTemplate jdbcTemplate, Clock clock, InviteMailDispatcher inviteMailDispatcher) {
        return new InviteMailRequests(jdbcTemplate, clock, inviteMailDispatcher::wakeUp);
    }

    /**
     * The outbox row is written in the transaction that appends the event (a subscribing processor, like the
     * username claims): a mailed code and its row are stored together or not at all, and no second processor has
     * to read every event back from the store.
     */
    @Bean
    public ConfigurerModule admitInviteMailProcessing(ObjectProvider<InviteMailRequests> inviteMailRequests) {
        // looked up when Axon builds the processor: the requests' dispatcher needs the event store, built after this
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerEventHandler(config -> inviteMailRequests.getObject())
                .registerSubscribingEventProcessor(InviteMailRequests.PROCESSING_GROUP)
                .registerListenerInvocationErrorHandler(
                        InviteMailRequests.PROCESSING_GROUP, config -> PropagatingErrorHandler.instance()));
    }
}
