package dev.admit.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.test.ThrowawayPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The host on a PostgreSQL its test starts itself (Admit's test kit), named by spring.datasource.url: Admit starts no
 * database of its own.
 */
// tag::integration-test[]
@SpringBootTest(
        properties = {
            "admit.server.enabled=false",
            // a test's own key; production configures admit.crypto.keys
            "admit.crypto.allow-generated-keys=true"
        })
@ExtendWith(ThrowawayPostgres.class) // one PostgreSQL per JVM, Admit's data emptied before each test
class HostOnItsOwnPostgresTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        ThrowawayPostgres.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        String dir = HostTestSupport.freshDataDir("host-own-postgres").toString();
        registry.add("admit.data-dir", () -> dir);
    }
    // end::integration-test[]

    @Autowired
    ApplicationContext context;

    @Test
    void a_shared_database_without_configured_keys_is_refused_at_start() throws Exception {
        String dir = HostTestSupport.freshDataDir("host-no-keys").toString();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new org.springframework.boot.builder.SpringApplicationBuilder(
                                HostApplication.class)
                        .properties(ThrowawayPostgres.springProperties().entrySet().stream()
                                .map(property -> property.getKey() + "=" + property.getValue())
                                .toArray(String[]::new))
                        .run("--admit.server.enabled=false", "--server.port=0", "--admit.data-dir=" + dir)
                        .close())
                .hasStackTraceContaining("No invite-code keys are configured (admit.crypto.keys)");
    }

    @Test
    void the_invite_flow_runs_on_the_hosts_database_and_admit_starts_none() throws Exception {
        assertThat(context.getBeanNamesForType(EmbeddedPostgres.class)).isEmpty();
        InviteFlowInJava.runsBesideTheHostsOwnAggregate(context);
    }
}
