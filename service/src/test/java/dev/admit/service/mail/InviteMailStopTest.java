package dev.admit.service.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.admit.domain.invite.InviteCodes;
import dev.admit.mail.InviteMailDispatcher;
import dev.admit.mail.MailTemplates;
import dev.admit.mail.MailTransport;
import dev.admit.spring.boot.AdmitEngine;
import dev.admit.store.AdmitTables;
import dev.admit.store.AdmitTransactionManager;
import jakarta.mail.internet.InternetAddress;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stopping the mail dispatcher does not wait out a database connection its round is waiting for: a host's pool
 * with Hikari's default timeout (30 s) or longer would otherwise hold its shutdown that long.
 */
class InviteMailStopTest {

    private static final Duration CONNECTION_TIMEOUT = Duration.ofMinutes(2);

    @Test
    void a_mail_round_waiting_for_a_database_connection_is_let_go_when_the_dispatcher_stops() throws Exception {
        Map<String, String> settings = RunningAdmit.smtpSettings(TestSmtpServer.freePort());
        try (RunningAdmit admit = RunningAdmit.start(RunningAdmit.newDataDir(), settings);
                HikariDataSource hostPool = oneConnectionPool(admit.bean(HikariDataSource.class))) {
            AdmitEngine engine = admit.bean(AdmitEngine.class);
            InviteMailDispatcher dispatcher = new InviteMailDispatcher(
                    new JdbcTemplate(hostPool),
                    admit.bean(AdmitTables.class),
                    new TransactionTemplate(new AdmitTransactionManager(hostPool)),
                    engine.eventStore(),
                    admit.bean(InviteCodes.class),
                    engine.commandGateway(),
                    admit.bean(MailTransport.class),
                    new MailTemplates(null),
                    Clock.systemUTC(),
                    new InviteMailDispatcher.Settings(
                            new InternetAddress("admit@example.com"),
                            "Admit",
                            null,
                            Duration.ofMillis(100),
                            Duration.ofMinutes(1),
                            Duration.ofSeconds(1),
                            Duration.ofMinutes(1),
                            3,
                            Duration.ofDays(1)));
            try (Connection held = hostPool.getConnection()) {
                // the pool's only connection taken: the dispatcher's first round waits for it
                dispatcher.start();
                await().atMost(Duration.ofSeconds(30))
                        .alias("the mail round waits for a connection")
                        .until(() -> hostPool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 1);

                long started = System.nanoTime();
                dispatcher.stop();
                Duration stopping = Duration.ofNanos(System.nanoTime() - started);

                assertThat(stopping).isLessThan(CONNECTION_TIMEOUT.dividedBy(5));
                assertThat(dispatcher.isRunning()).isFalse();
                assertThat(hostPool.getHikariPoolMXBean().getThreadsAwaitingConnection())
                        .as("threads still waiting for the pool's connection")
                        .isZero();
            }
        }
    }

    private static HikariDataSource oneConnectionPool(HikariDataSource service) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(service.getJdbcUrl());
        config.setUsername(service.getUsername());
        config.setPassword(service.getPassword());
        config.setPoolName("host-pool");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        return new HikariDataSource(config);
    }
}
