package dev.admit.projection;

import dev.admit.domain.serialization.StoredTimestamps;
import dev.admit.store.AdmitTables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads the users projection's {@link ProjectionStatus} from the token table and the event store, without claiming
 * anything: it answers the same on every node, whichever holds the segments.
 */
public class ProjectionStatusReader {

    private final JdbcTemplate jdbc;
    private final Serializer tokenSerializer;
    private final ParkedUserEvents parked;
    private final TransactionManager transactions;
    private final Clock clock;
    private final String head;
    private final String tokens;
    private final String firstAfter;

    public ProjectionStatusReader(
            JdbcTemplate jdbc,
            AdmitTables tables,
            Serializer tokenSerializer,
            ParkedUserEvents parked,
            TransactionManager transactions,
            Clock clock) {
        this.jdbc = jdbc;
        this.tokenSerializer = tokenSerializer;
        this.parked = parked;
        this.transactions = transactions;
        this.clock = clock;
        this.head = tables.sql("SELECT max(global_index) FROM {domain_event_entry}");
        this.tokens = tables.sql(
                "SELECT segment, token, token_type, owner FROM {token_entry} WHERE processor_name = ? ORDER BY segment");
        this.firstAfter = tables.sql(
                "SELECT time_stamp FROM {domain_event_entry} WHERE global_index > ? ORDER BY global_index LIMIT 1");
    }

    public ProjectionStatus read() {
        return transactions.fetchInTransaction(() -> {
            Long max = jdbc.queryForObject(head, Long.class);
            long headIndex = max == null ? -1 : max;
            List<ProjectionStatus.Segment> segments = new ArrayList<>();
            jdbc.query(
                    tokens,
                    rs -> {
                        byte[] bytes = rs.getBytes("token");
                        String type = rs.getString("token_type");
                        long position = -1;
                        if (bytes != null && type != null) {
                            TrackingToken token = tokenSerializer.deserialize(
                                    new SimpleSerializedObject<>(bytes, byte[].class, type, null));
                            position = token == null ? -1 : token.position().orElse(-1L);
                        }
                        segments.add(
                                new ProjectionStatus.Segment(rs.getInt("segment"), position, rs.getString("owner")));
                    },
                    UsersProjector.PROCESSING_GROUP);
            long least = segments.stream()
                    .mapToLong(ProjectionStatus.Segment::position)
                    .min()
                    .orElse(-1L);
            long lagEvents = Math.max(0, headIndex - least);
            Instant now = clock.instant();
            Duration lag = Duration.ZERO;
            if (lagEvents > 0) {
                List<String> oldest = jdbc.queryForList(firstAfter, String.class, least);
                if (!oldest.isEmpty()) {
                    Duration waiting = Duration.between(StoredTimestamps.parse(oldest.get(0)), now);
                    lag = waiting.isNegative() ? Duration.ZERO : waiting;
                }
            }
            return new ProjectionStatus(
                    UsersProjector.PROCESSING_GROUP,
                    headIndex,
                    List.copyOf(segments),
                    lagEvents,
                    lag,
                    parked.count(),
                    now);
        });
    }
}
