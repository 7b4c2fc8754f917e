package dev.admit.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.store.TimeOrderedIdentifiers;
import java.io.IOException;
import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The host with Admit's server off, on Admit's embedded PostgreSQL: Admit as a library and a good guest. */
@SpringBootTest(properties = "admit.server.enabled=false")
class HostWithoutServerTest {

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws IOException {
        String dir = HostTestSupport.freshDataDir("host-embedded").toString();
        registry.add("admit.data-dir", () -> dir);
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void the_invite_flow_runs_in_java_beside_the_hosts_own_aggregate() throws Exception {
        InviteFlowInJava.runsBesideTheHostsOwnAggregate(context);
    }

    @Test
    void the_hosts_axon_beans_are_the_hosts_own_and_unique() {
        assertThat(context.getBeansOfType(CommandGateway.class)).hasSize(1);
        assertThat(context.getBeansOfType(Serializer.class).values())
                .as("the serializers are the host's Axon's, none of Admit's")
                .noneMatch(serializer -> serializer.getClass().getName().startsWith("dev.admit"))
                .isNotEmpty();
        TokenStore tokenStore = context.getBean(TokenStore.class);
        assertThat(tokenStore).isInstanceOf(JdbcTokenStore.class);
        assertThat(context.getBeanNamesForType(dev.admit.api.server.AdmitServer.class))
                .as("no API server when it is switched off")
                .isEmpty();
    }

    @Test
    void admits_tables_live_in_their_own_schema_beside_the_hosts_axon_tables_and_flyway_history() {
        assertThat(HostTestSupport.tablesIn(jdbc, "public"))
                .contains("domain_event_entry", "token_entry", "team", "flyway_schema_history")
                .doesNotContain("users", "username_claim", "invite_mail_outbox", "admit_schema_history");
        assertThat(HostTestSupport.tablesIn(jdbc, "admit"))
                .contains(
                        "domain_event_entry",
                        "snapshot_event_entry",
                        "token_entry",
                        "users",
                        "username_claim",
                        "invite_mail_outbox",
                        "admit_schema_history");
        assertThat(jdbc.queryForList(
                        "SELECT version FROM public.flyway_schema_history WHERE success ORDER BY installed_rank",
                        String.class))
                .as("the host's own migration ran, with no baseline in its way")
                .containsExactly("1");
    }

    @Test
    void admit_changes_no_process_wide_setting_of_axons() {
        assertThat(IdentifierFactory.getInstance()).isNotInstanceOf(TimeOrderedIdentifiers.class);
        assertThat(GenericEventMessage.clock).isEqualTo(Clock.systemUTC());
    }
}
