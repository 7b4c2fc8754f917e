package dev.admit.service.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.InviteCodeSent;
import dev.admit.domain.serialization.EventTypes;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.service.AdmitContextTest;
import dev.admit.store.AdmitTables;
import dev.admit.store.PassedGaps;
import dev.admit.store.axon.AdmitEventStorageEngine;
import dev.admit.store.axon.AdmitEventStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How {@link AdmitEventStorageEngine} reads an aggregate's stream: in batches, ending at the first short one, so a
 * stream shorter than a batch costs one query, and every event is still read whatever the stream's length. And how
 * {@link AdmitEventStore} loads an aggregate: a stream shorter than the snapshot threshold whole, in one query, and
 * a longer one from its snapshot.
 */
class AdmitEventStorageEngineTest extends AdmitContextTest {

    private static final OrgId ORG = new OrgId("1");

    /** Small, so that streams of a few events span several batches. */
    private static final int BATCH_SIZE = 2;

    private static final int SNAPSHOT_THRESHOLD = 5;

    @Autowired
    DataSource dataSource;

    @Autowired
    TransactionManager transactions;

    @Autowired
    @Qualifier("eventSerializer")
    Serializer serializer;

    @Autowired
    UserIdGenerator ids;

    private final AtomicInteger queries = new AtomicInteger();

    @Test
    void a_stream_shorter_than_a_batch_is_read_in_one_query() {
        assertThat(readBack(1)).isEqualTo(new Read(List.of(0L), 1));
    }

    @Test
    void an_empty_stream_is_read_in_one_query() {
        assertThat(readBack(0)).isEqualTo(new Read(List.of(), 1));
    }

    @Test
    void a_stream_spanning_batches_is_read_whole_and_ends_at_its_short_batch() {
        assertThat(readBack(5)).isEqualTo(new Read(List.of(0L, 1L, 2L, 3L, 4L), 3));
    }

    @Test
    void a_stream_filling_its_last_batch_exactly_needs_one_empty_read_to_end() {
        assertThat(readBack(4)).isEqualTo(new Read(List.of(0L, 1L, 2L, 3L), 3));
    }

    @Test
    void a_stream_shorter_than_the_snapshot_threshold_is_loaded_whole_in_one_query_without_its_snapshot() {
        // a snapshot of a short stream only exists if the threshold was lowered since; it is not needed either way
        assertThat(load(3, 1)).isEqualTo(new Read(List.of(0L, 1L, 2L), 1));
    }

    @Test
    void a_stream_as_long_as_the_snapshot_threshold_is_loaded_from_its_snapshot() {
        // the first SNAPSHOT_THRESHOLD events, the snapshot, the one event after it
        assertThat(load(SNAPSHOT_THRESHOLD, 3)).isEqualTo(new Read(List.of(3L, 4L), 3));
    }

    @Test
    void a_stream_as_long_as_the_snapshot_threshold_without_a_snapshot_is_loaded_whole() {
        // the first SNAPSHOT_THRESHOLD events, the snapshot lookup, then the stream in batches of two
        assertThat(load(SNAPSHOT_THRESHOLD, -1)).isEqualTo(new Read(List.of(0L, 1L, 2L, 3L, 4L), 5));
    }

    /**
     * The positions an {@link AdmitEventStore} loads from a fresh stream of {@code length} events with a snapshot
     * taken at {@code snapshotAt} (none if negative), and the queries it took.
     */
    private Read load(int length, long snapshotAt) {
        AdmitEventStorageEngine engine = engine();
        String stream = append(engine, length);
        if (snapshotAt >= 0) {
            engine.storeSnapshot(new GenericDomainEventMessage<>(
                    EventTypes.USER_AGGREGATE_TYPE, stream, snapshotAt, new EmailVerified()));
        }
        AdmitEventStore store = new AdmitEventStore(
                EmbeddedEventStore.builder().optimizeEventConsumption(false), engine, SNAPSHOT_THRESHOLD);
        queries.set(0);
        return new Read(positions(store.readEvents(stream)), queries.get());
    }

    /** The positions read back from a fresh stream of {@code length} events, and the queries it took. */
    private Read readBack(int length) {
        AdmitEventStorageEngine engine = engine();
        String stream = append(engine, length);
        queries.set(0);
        return new Read(positions(engine.readEvents(stream, 0)), queries.get());
    }

    /** A fresh user's stream of {@code length} events, appended; its identifier. */
    private String append(AdmitEventStorageEngine engine, int length) {
        String stream = ids.next().value();
        List<DomainEventMessage<?>> events = new ArrayList<>();
        // a whole user's stream, since the context's users projection reads it too
        for (int position = 0; position < length; position++) {
            Object payload = position == 0
                    ? new HumanUserAdded(
                            new UserId(stream),
                            ORG,
                            "u" + stream,
                            "Given",
                            "Family",
                            null,
                            null,
                            stream + "@example.com")
                    : position % 2 == 0 ? new InviteCodeSent() : new EmailVerified();
            events.add(new GenericDomainEventMessage<>(EventTypes.USER_AGGREGATE_TYPE, stream, position, payload));
        }
        transactions.executeInTransaction(() -> engine.appendEvents(events));
        return stream;
    }

    private static List<Long> positions(DomainEventStream read) {
        List<Long> positions = new ArrayList<>();
        while (read.hasNext()) {
            positions.add(read.next().getSequenceNumber());
        }
        return positions;
    }

    private AdmitEventStorageEngine engine() {
        SpringDataSourceConnectionProvider connections = new SpringDataSourceConnectionProvider(dataSource);
        JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                .connectionProvider(() -> {
                    queries.incrementAndGet();
                    return connections.getConnection();
                })
                .transactionManager(transactions)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .dataType(byte[].class)
                .schema(AdmitTables.inDefaultSchema().eventSchema())
                .batchSize(BATCH_SIZE);
        return new AdmitEventStorageEngine(
                builder,
                AdmitTables.inDefaultSchema().eventSchema(),
                Duration.ofSeconds(60),
                new PassedGaps(new JdbcTemplate(dataSource), AdmitTables.inDefaultSchema(), Clock.systemUTC()));
    }

    private record Read(List<Long> positions, int queries) {}
}
