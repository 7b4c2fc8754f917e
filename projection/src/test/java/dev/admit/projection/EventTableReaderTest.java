package dev.admit.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.serialization.EventSerialization;
import dev.admit.domain.serialization.EventTypes;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import dev.admit.store.StoredEventRows;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the rebuild's reader turns fetched rows into the events it folds, with and without the application's upcasters. */
class EventTableReaderTest {

    private static final Serializer SERIALIZER = EventSerialization.newEventSerializer();
    private static final UserId USER = new UserId("1001");
    private static final OrgId ORG = new OrgId("org-1");
    private static final String T1 = "2026-01-05T10:00:00.123456Z";
    private static final String T2 = "2026-01-05T10:00:01.5Z";

    private static final String ADDED = EventTypes.nameOf(HumanUserAdded.class).orElseThrow();

    /** The shape of {@code user.human.added} before revision 1, when the address was stored as {@code mail}. */
    private static final String ADDED_REVISION_0 =
            "{\"userId\":\"1001\",\"orgId\":\"org-1\",\"givenName\":\"Ada\",\"familyName\":\"Lovelace\","
                    + "\"mail\":\"ada@example.com\"}";

    /** Renames {@code mail} to {@code email} in revision 0 of {@code user.human.added}. */
    private static final class MailRenamed extends SingleEventUpcaster {

        @Override
        protected boolean canUpcast(IntermediateEventRepresentation representation) {
            return representation.getType().equals(new SimpleSerializedType(ADDED, "0"));
        }

        @Override
        protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
            return representation.upcastPayload(new SimpleSerializedType(ADDED, "1"), JsonNode.class, payload -> {
                ObjectNode node = (ObjectNode) payload;
                node.set("email", node.remove("mail"));
                return node;
            });
        }
    }

    private static EventTableReader reader(EventUpcaster upcasters) {
        // events() works on rows already fetched; it never touches the database
        return new EventTableReader(null, new EventSchema(), SERIALIZER, upcasters, Duration.ofSeconds(60));
    }

    private static HumanUserAdded added() {
        return new HumanUserAdded(USER, ORG, null, "Ada", "Lovelace", null, null, "ada@example.com");
    }

    private static DomainEventData<?> row(long index, long sequence, String timestamp, Object payload) {
        var serialized = SERIALIZER.serialize(payload, byte[].class);
        return row(
                index,
                USER.value(),
                sequence,
                timestamp,
                serialized.getType().getName(),
                serialized.getType().getRevision(),
                serialized.getData());
    }

    private static DomainEventData<?> row(
            long index,
            String aggregate,
            long sequence,
            String timestamp,
            String type,
            String revision,
            byte[] payload) {
        return StoredEventRows.entry(
                aggregate == null ? null : "User",
                aggregate,
                sequence,
                "event-" + index,
                timestamp,
                type,
                revision,
                payload,
                SERIALIZER.serialize(MetaData.emptyInstance(), byte[].class).getData());
    }

    @Test
    void without_upcasters_types_come_from_the_stored_names_and_only_human_added_payloads_are_read() {
        // as fetch() hands them on: no payload but human.added's; the last from another application
        List<DomainEventData<?>> fetched = List.of(
                row(1, 1, T1, added()),
                row(
                        2,
                        USER.value(),
                        2,
                        T2,
                        EventTypes.nameOf(EmailVerified.class).orElseThrow(),
                        "1",
                        new byte[0]),
                row(3, "order-7", 1, T2, "shop.order.placed", null, new byte[0]));

        List<EventTableReader.StoredEvent> events =
                reader(NoOpEventUpcaster.INSTANCE).events(fetched);

        assertThat(events)
                .containsExactly(
                        new EventTableReader.StoredEvent(
                                USER.value(), 1, Instant.parse(T1), HumanUserAdded.class, added()),
                        new EventTableReader.StoredEvent(USER.value(), 2, Instant.parse(T2), EmailVerified.class, null),
                        new EventTableReader.StoredEvent("order-7", 1, Instant.parse(T2), Object.class, null));
    }

    @Test
    void with_upcasters_an_old_revision_is_read_in_its_current_shape_and_current_ones_pass_unchanged() {
        EmailVerified verified = new EmailVerified();
        List<DomainEventData<?>> fetched = List.of(
                row(1, USER.value(), 1, T1, ADDED, "0", ADDED_REVISION_0.getBytes(StandardCharsets.UTF_8)),
                row(2, 2, T2, verified));

        List<EventTableReader.StoredEvent> events =
                reader(new EventUpcasterChain(new MailRenamed())).events(fetched);

        assertThat(events)
                .containsExactly(
                        new EventTableReader.StoredEvent(
                                USER.value(), 1, Instant.parse(T1), HumanUserAdded.class, added()),
                        new EventTableReader.StoredEvent(
                                USER.value(), 2, Instant.parse(T2), EmailVerified.class, verified));
    }

    @Test
    void events_outside_any_aggregate_stream_are_left_out_on_both_paths() {
        List<DomainEventData<?>> fetched = List.of(
                row(
                        1,
                        null,
                        0,
                        T1,
                        ADDED,
                        "1",
                        SERIALIZER.serialize(added(), byte[].class).getData()),
                row(2, 1, T2, added()));

        for (EventUpcaster upcasters :
                List.<EventUpcaster>of(NoOpEventUpcaster.INSTANCE, new EventUpcasterChain(new MailRenamed()))) {
            assertThat(reader(upcasters).events(fetched))
                    .extracting(EventTableReader.StoredEvent::sequenceNumber)
                    .containsExactly(1L);
        }
    }

    @RegisterExtension
    static final MigratedPostgres postgres = new MigratedPostgres();

    @Test
    void rows_fetched_without_upcasters_fold_to_the_events_axons_way_of_reading_them_gives() {
        String outside = "event-outside";
        store(USER.value(), 0, T1, added());
        store(USER.value(), 1, T2, new EmailVerified());
        storeRaw("order-7", 0, "2026-01-05T10:00:02.000Z", "shop.order.placed", "{}");
        storeRaw(outside, 0, "2026-01-05T10:00:03.000Z", ADDED, "{}");
        EventSchema schema = MigratedPostgres.TABLES.eventSchema();
        EventTableReader plain = new EventTableReader(
                postgres.jdbc(), schema, SERIALIZER, NoOpEventUpcaster.INSTANCE, Duration.ofSeconds(60));
        EventTableReader axons = new EventTableReader(
                postgres.jdbc(), schema, SERIALIZER, new EventUpcasterChain(new MailRenamed()), Duration.ofSeconds(60));

        EventTableReader.Chunk typed = plain.fetch(null, 100);
        EventTableReader.Chunk entries = axons.fetch(null, 100);

        assertThat(typed.indexes()).hasSize(4).isEqualTo(entries.indexes());
        assertThat(typed.end()).isEqualTo(entries.end());
        assertThat(plain.events(typed.rows()))
                .containsExactly(
                        new EventTableReader.StoredEvent(
                                USER.value(), 0, Instant.parse(T1), HumanUserAdded.class, added()),
                        new EventTableReader.StoredEvent(USER.value(), 1, Instant.parse(T2), EmailVerified.class, null),
                        new EventTableReader.StoredEvent(
                                "order-7", 0, Instant.parse("2026-01-05T10:00:02Z"), Object.class, null));
        assertThat(axons.events(entries.rows()))
                .extracting(EventTableReader.StoredEvent::aggregateIdentifier, EventTableReader.StoredEvent::timestamp)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(USER.value(), Instant.parse(T1)),
                        org.assertj.core.groups.Tuple.tuple(USER.value(), Instant.parse(T2)),
                        org.assertj.core.groups.Tuple.tuple("order-7", Instant.parse("2026-01-05T10:00:02Z")));
    }

    private static void store(String aggregate, long sequence, String timestamp, Object payload) {
        var serialized = SERIALIZER.serialize(payload, byte[].class);
        storeRaw(
                aggregate,
                sequence,
                timestamp,
                serialized.getType().getName(),
                new String(serialized.getData(), StandardCharsets.UTF_8));
    }

    /** A row as Axon's engine stores one; an aggregate named like the event identifier is outside any stream. */
    private static void storeRaw(String aggregate, long sequence, String timestamp, String type, String payload) {
        postgres.jdbc()
                .update(
                        MigratedPostgres.TABLES.sql("""
                                INSERT INTO {domain_event_entry} (event_identifier, meta_data, payload, payload_revision,
                                    payload_type, time_stamp, aggregate_identifier, sequence_number, type)
                                VALUES (?, ?, ?, '1', ?, ?, ?, ?, ?)"""),
                        aggregate.startsWith("event-")
                                ? aggregate
                                : java.util.UUID.randomUUID().toString(),
                        SERIALIZER
                                .serialize(MetaData.emptyInstance(), byte[].class)
                                .getData(),
                        payload.getBytes(StandardCharsets.UTF_8),
                        type,
                        timestamp,
                        aggregate,
                        sequence,
                        aggregate.startsWith("event-") ? null : "User");
    }
}
