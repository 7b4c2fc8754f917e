package dev.admit.projection;

import dev.admit.store.AdmitTables;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** The {@code users_parked_events} table: events of user streams the users projection could not apply. */
public class ParkedUserEvents {

    private final JdbcTemplate jdbc;
    private final String insert;
    private final String list;
    private final String count;
    private final String firstOf;
    private final String delete;
    private final String isParked;
    private final String releaseBefore;
    private final String clear;

    public ParkedUserEvents(JdbcTemplate jdbc, AdmitTables tables) {
        this.jdbc = jdbc;
        this.insert = tables.sql("""
                INSERT INTO {users_parked_events} (user_id, sequence, global_index, event_type, reason, parked_at)
                SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::timestamptz[])
                ON CONFLICT (user_id, sequence) DO UPDATE SET reason = excluded.reason
                """);
        this.list = tables.sql("""
                SELECT user_id, sequence, global_index, event_type, reason, parked_at FROM {users_parked_events}
                ORDER BY parked_at, user_id, sequence LIMIT ?
                """);
        this.count = tables.sql("SELECT count(*) FROM {users_parked_events}");
        this.firstOf = tables.sql("SELECT min(sequence) FROM {users_parked_events} WHERE user_id = ?");
        this.delete = tables.sql("DELETE FROM {users_parked_events} WHERE user_id = ?");
        this.releaseBefore = tables.sql("DELETE FROM {users_parked_events} WHERE user_id = ? AND sequence < ?");
        this.clear = tables.sql("TRUNCATE TABLE {users_parked_events}");
        this.isParked = tables.sql("SELECT EXISTS (SELECT 1 FROM {users_parked_events} WHERE user_id = ?)");
    }

    public void park(List<ParkedEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        int size = events.size();
        String[] users = new String[size];
        Long[] sequences = new Long[size];
        Long[] indexes = new Long[size];
        String[] types = new String[size];
        String[] reasons = new String[size];
        Timestamp[] at = new Timestamp[size];
        for (int i = 0; i < size; i++) {
            ParkedEvent event = events.get(i);
            users[i] = event.userId();
            sequences[i] = event.sequence();
            indexes[i] = event.globalIndex();
            types[i] = event.eventType();
            reasons[i] = event.reason();
            at[i] = Timestamp.from(event.parkedAt());
        }
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(insert);
            statement.setArray(1, connection.createArrayOf("text", users));
            statement.setArray(2, connection.createArrayOf("bigint", sequences));
            statement.setArray(3, connection.createArrayOf("bigint", indexes));
            statement.setArray(4, connection.createArrayOf("text", types));
            statement.setArray(5, connection.createArrayOf("text", reasons));
            statement.setArray(6, connection.createArrayOf("timestamptz", at));
            return statement;
        });
    }

    /** The parked events, oldest first. */
    public List<ParkedEvent> list(int limit) {
        return jdbc.query(list, ParkedUserEvents::parked, limit);
    }

    public long count() {
        Long parked = jdbc.queryForObject(count, Long.class);
        return parked == null ? 0 : parked;
    }

    public boolean isParked(String userId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(isParked, Boolean.class, userId));
    }

    /** The position of the user's first parked event, if any is parked. */
    public Optional<Long> firstParked(String userId) {
        return Optional.ofNullable(jdbc.queryForObject(firstOf, Long.class, userId));
    }

    public int release(String userId) {
        return jdbc.update(delete, userId);
    }

    /** Releases the user's parked events before {@code sequence}: the row has taken them. */
    public int releaseBefore(String userId, long sequence) {
        return jdbc.update(releaseBefore, userId, sequence);
    }

    /** Forgets every parked event, before a rebuild that applies them all again. */
    public void clear() {
        jdbc.execute(clear);
    }

    private static ParkedEvent parked(ResultSet rs, int row) throws SQLException {
        long index = rs.getLong("global_index");
        return new ParkedEvent(
                rs.getString("user_id"),
                rs.getLong("sequence"),
                rs.wasNull() ? null : index,
                rs.getString("event_type"),
                rs.getString("reason"),
                rs.getTimestamp("parked_at").toInstant());
    }
}
