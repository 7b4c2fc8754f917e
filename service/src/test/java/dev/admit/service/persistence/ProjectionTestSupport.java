package dev.admit.service.persistence;

import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.AddHumanUserResult;
import dev.admit.domain.message.UserEvent;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import dev.admit.projection.UsersProjector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Helpers shared by the projection tests: fresh organizations, users, direct appends, and looks at the {@code users}
 * table, the event store and the users processor's tokens that go straight to SQL (never through the read-your-writes
 * query, which would catch a row up itself).
 */
final class ProjectionTestSupport {

    private ProjectionTestSupport() {}

    /** A numeric organization id no other test uses. */
    static OrgId freshOrg() {
        return new OrgId(Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000L, Long.MAX_VALUE)));
    }

    static AddHumanUserResult addUser(CommandGateway commands, UserId user, OrgId org, boolean emailVerified) {
        return commands.sendAndWait(new AddHumanUserCommand(
                user,
                org,
                null,
                "Given " + user,
                "Family",
                null,
                "en",
                new EmailAddress(user + "@example.com"),
                emailVerified));
    }

    /** A code of the default alphabet and length that differs from {@code code}. */
    static String wrongCode(String code) {
        return code.equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
    }

    static StreamingEventProcessor usersProcessor(EventProcessingConfiguration processing) {
        return processing
                .eventProcessor(UsersProjector.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow();
    }

    /** How many events the user's stream holds (its last 1-based sequence), straight from the event store table. */
    static long streamLength(JdbcTemplate jdbc, UserId user) {
        Long length = jdbc.queryForObject(
                "SELECT COALESCE(MAX(sequence_number) + 1, 0) FROM admit.domain_event_entry WHERE aggregate_identifier = ?",
                Long.class,
                user.value());
        return length == null ? 0 : length;
    }

    /** The global index of the event at 1-based {@code sequence} of the user's stream. */
    static long globalIndexOf(JdbcTemplate jdbc, UserId user, long sequence) {
        Long index = jdbc.queryForObject(
                "SELECT global_index FROM admit.domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = ?",
                Long.class,
                user.value(),
                sequence - 1);
        return index == null ? -1 : index;
    }

    /** The row of the users table as stored, straight from SQL. */
    static Optional<Row> row(JdbcTemplate jdbc, UserId user) {
        return jdbc
                .query(
                        "SELECT sequence, change_date, email_verified, given_name FROM admit.users WHERE user_id = ?",
                        (rs, n) -> new Row(
                                rs.getLong("sequence"),
                                rs.getTimestamp("change_date").toInstant(),
                                rs.getBoolean("email_verified"),
                                rs.getString("given_name")),
                        user.value())
                .stream()
                .findFirst();
    }

    /** A row of the users table, as far as these tests look at it. */
    record Row(long sequence, Instant changeDate, boolean emailVerified, String givenName) {}

    /** How many user streams the users table does not (yet) reflect completely. */
    static long laggingRows(JdbcTemplate jdbc) {
        Long lagging = jdbc.queryForObject("""
                SELECT COUNT(*) FROM (
                    SELECT aggregate_identifier, MAX(sequence_number) + 1 AS length
                    FROM admit.domain_event_entry WHERE type = 'user' GROUP BY aggregate_identifier) s
                LEFT JOIN admit.users u ON u.user_id = s.aggregate_identifier
                WHERE u.sequence IS DISTINCT FROM s.length
                """, Long.class);
        return lagging == null ? 0 : lagging;
    }

    /** The whole users table, every column, in user id order. */
    static List<Map<String, Object>> usersTable(JdbcTemplate jdbc) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM admit.users ORDER BY user_id");
        // the driver's arrays compare by identity: compared as lists of their elements, in order
        for (Map<String, Object> row : rows) {
            row.replaceAll((column, value) -> {
                if (value instanceof java.sql.Array array) {
                    try {
                        return java.util.Arrays.asList((Object[]) array.getArray());
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return value;
            });
        }
        return rows;
    }

    /**
     * Appends events to a user's stream directly through the event store (for event types that have no command
     * yet), at the stream's next positions, in one transaction.
     */
    static void append(EventStore eventStore, TransactionManager transactions, UserId user, UserEvent... events) {
        transactions.executeInTransaction(() -> {
            long next = eventStore
                    .lastSequenceNumberFor(user.value())
                    .map(last -> last + 1)
                    .orElse(0L);
            List<DomainEventMessage<?>> messages = new ArrayList<>();
            for (UserEvent event : events) {
                messages.add(new GenericDomainEventMessage<>("user", user.value(), next++, event));
            }
            eventStore.publish(messages);
        });
    }

    /**
     * The users processor's stored token position per segment, read from the token table without claiming it.
     * A segment whose token is still empty maps to an empty position.
     */
    static Map<Integer, OptionalLong> tokenPositions(JdbcTemplate jdbc, Serializer serializer) {
        Map<Integer, OptionalLong> positions = new LinkedHashMap<>();
        jdbc.query(
                "SELECT segment, token, token_type FROM admit.token_entry WHERE processor_name = ? ORDER BY segment",
                rs -> {
                    byte[] bytes = rs.getBytes("token");
                    String type = rs.getString("token_type");
                    OptionalLong position = OptionalLong.empty();
                    if (bytes != null && type != null) {
                        TrackingToken token =
                                serializer.deserialize(new SimpleSerializedObject<>(bytes, byte[].class, type, null));
                        position = token == null ? OptionalLong.empty() : token.position();
                    }
                    positions.put(rs.getInt("segment"), position);
                },
                UsersProjector.PROCESSING_GROUP);
        return positions;
    }

    /** The users processor's segment that handles the user's events. */
    static int segmentOf(JdbcTemplate jdbc, UserId user) {
        // the processor's segments may be (re)claimed right now, after another test stopped or reset it
        int[] ids = org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> jdbc
                                .queryForList(
                                        "SELECT segment FROM admit.token_entry WHERE processor_name = ? ORDER BY segment",
                                        Integer.class,
                                        UsersProjector.PROCESSING_GROUP)
                                .stream()
                                .mapToInt(Integer::intValue)
                                .toArray(),
                        found -> found.length > 0);
        // Axon's computeSegment sorts the array it is given: each call gets its own copy
        return Arrays.stream(ids)
                .mapToObj(id -> Segment.computeSegment(id, ids.clone()))
                .filter(segment -> segment.matches(user.value()))
                .mapToInt(Segment::getSegmentId)
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "the users processor's segments " + Arrays.toString(ids) + " do not cover " + user));
    }

    /** Stops a pool and waits for its tasks; pools in these tests are always shut down this way, in finally. */
    static void shutDown(ExecutorService pool) throws InterruptedException {
        pool.shutdownNow();
        if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("a test thread pool did not stop");
        }
    }
}
