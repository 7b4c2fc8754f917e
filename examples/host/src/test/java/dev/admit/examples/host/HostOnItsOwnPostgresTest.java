package dev.admit.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The host on a PostgreSQL it runs itself (spring.datasource.url): Admit starts no database of its own. */
@SpringBootTest(properties = "admit.server.enabled=false")
class HostOnItsOwnPostgresTest {

    private static EmbeddedPostgres postgres;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
        String dir = HostTestSupport.freshDataDir("host-own-postgres").toString();
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("admit.data-dir", () -> dir);
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Autowired
    ApplicationContext context;

    @Test
    void the_invite_flow_runs_on_the_hosts_database_and_admit_starts_none() throws Exception {
        assertThat(context.getBeanNamesForType(EmbeddedPostgres.class)).isEmpty();
        InviteFlowInJava.runsBesideTheHostsOwnAggregate(context);
    }
}
