package dev.admit.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import java.time.Clock;
import java.time.Instant;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the projector takes from the bus, and what it makes of a message. */
class UsersProjectorTest {

    private static final UserId USER = new UserId("2002");
    private static final OrgId ORG = new OrgId("org-2");
    private static final Instant T0 = Instant.parse("2026-02-01T08:00:00.5Z");

    @RegisterExtension
    static final MigratedPostgres postgres = new MigratedPostgres();

    private UserRows rows;
    private UsersProjector projector;

    @BeforeEach
    void emptyTable() {
        rows = new UserRows(postgres.jdbc(), MigratedPostgres.TABLES);
        projector = new UsersProjector(
                rows,
                new UserStreamCatchUp(rows, (user, from) -> DomainEventStream.empty()),
                new ParkedUserEvents(postgres.jdbc(), MigratedPostgres.TABLES),
                postgres.jdbc(),
                Clock.systemUTC());
        rows.deleteAll();
    }

    private static GenericDomainEventMessage<Object> event(long sequence, Instant at, Object payload) {
        return new GenericDomainEventMessage<>(
                "user", USER.value(), sequence, payload, MetaData.emptyInstance(), "event-" + sequence, at);
    }

    @Test
    void an_event_of_a_user_stream_moves_the_row_to_its_one_based_sequence_and_its_timestamp() throws Exception {
        HumanUserAdded added = new HumanUserAdded(USER, ORG, "grace", "Grace", "Hopper", null, "en", "g@example.com");
        projector.handle(event(0, T0, added));
        projector.handle(event(1, T0.plusSeconds(3), new EmailVerified()));

        UserView view = rows.find(USER).orElseThrow();
        assertThat(view.details()).isEqualTo(new ReadDetails(2, T0.plusSeconds(3), ORG));
        assertThat(view.emailVerified()).isTrue();
    }

    @Test
    void only_user_events_of_aggregate_streams_are_taken() {
        assertThat(projector.canHandle(event(0, T0, new EmailVerified()))).isTrue();
        assertThat(projector.canHandle(event(0, T0, "another application's event")))
                .isFalse();
        assertThat(projector.canHandle(GenericEventMessage.asEventMessage(new EmailVerified())))
                .as("a user event outside any stream has no row to move")
                .isFalse();
        assertThat(projector.canHandleType(EmailVerified.class)).isTrue();
        assertThat(projector.canHandleType(String.class)).isFalse();
    }

    @Test
    void a_reset_empties_the_table_before_a_replay() throws Exception {
        HumanUserAdded added = new HumanUserAdded(USER, ORG, "grace", "Grace", "Hopper", null, "en", "g@example.com");
        projector.handle(event(0, T0, added));

        assertThat(projector.supportsReset()).isTrue();
        projector.prepareReset(null);

        assertThat(rows.find(USER)).isEmpty();
    }
}
