package dev.admit.projection;

import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.UserEvent;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL of the {@code users} table. Each event is applied at most once: a change carries the event's 1-based
 * sequence and only touches a row whose sequence is lower, so applying an event again, or an older one, changes
 * nothing.
 */
public class UserRows {

    private static final String INSERT = """
            INSERT INTO users (user_id, org_id, username, given_name, family_name, display_name, preferred_language,
                               email, email_verified, state, creation_date, sequence, change_date)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, 'ACTIVE', ?, ?, ?)
            ON CONFLICT (user_id) DO NOTHING
            """;
    private static final String SELECT = """
            SELECT user_id, org_id, username, given_name, family_name, display_name, preferred_language, email,
                   email_verified, state, creation_date, sequence, change_date
            FROM users WHERE user_id = ?
            """;

    private final JdbcTemplate jdbc;

    public UserRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Applies one event of {@code userId}'s stream.
     *
     * @param sequence the event's 1-based position in the stream
     * @throws IllegalStateException if a later event arrives for a user the table does not hold, which means
     *     events were lost; failing keeps the processor from moving past them
     */
    public void apply(String userId, long sequence, Instant timestamp, UserEvent event) {
        Changes one = new Changes();
        one.add(userId, sequence, timestamp, event);
        applyAll(one);
    }

    /** The changes of one batch of events, folded per user in stream order. */
    public static final class Changes {
        private final List<Object[]> inserts = new java.util.ArrayList<>();
        private final java.util.Map<String, Change> updates = new java.util.LinkedHashMap<>();

        public void add(String userId, long sequence, Instant timestamp, UserEvent event) {
            Timestamp at = Timestamp.from(timestamp);
            if (event instanceof HumanUserAdded added) {
                inserts.add(new Object[] {
                    userId,
                    added.orgId().value(),
                    added.username(),
                    added.givenName(),
                    added.familyName(),
                    added.displayName(),
                    added.preferredLanguage(),
                    added.email(),
                    at,
                    sequence,
                    at
                });
                return;
            }
            updates.merge(
                    userId,
                    new Change(sequence, at, event instanceof EmailVerified),
                    (earlier, later) -> new Change(
                            Math.max(earlier.sequence, later.sequence),
                            later.sequence >= earlier.sequence ? later.changeDate : earlier.changeDate,
                            earlier.emailVerified || later.emailVerified));
        }

        boolean isEmpty() {
            return inserts.isEmpty() && updates.isEmpty();
        }
    }

    /**
     * A user's events in one batch, folded: the last sequence and timestamp, and whether any verified the email.
     * Folding is exact because the only state events change besides the position is the verified flag, which
     * only ever turns true.
     */
    private record Change(long sequence, Timestamp changeDate, boolean emailVerified) {}

    private static final String FOLDED_UPDATE = """
            UPDATE users SET email_verified = email_verified OR ?, sequence = ?, change_date = ?
            WHERE user_id = ? AND sequence < ?
            """;

    /**
     * Applies a batch: new users first, then one guarded update per touched user, each as a JDBC batch.
     *
     * @throws IllegalStateException if an update finds no row for its user (events were lost)
     */
    public void applyAll(Changes changes) {
        if (changes.isEmpty()) {
            return;
        }
        if (!changes.inserts.isEmpty()) {
            jdbc.batchUpdate(INSERT, changes.inserts);
        }
        if (changes.updates.isEmpty()) {
            return;
        }
        List<String> users = new java.util.ArrayList<>(changes.updates.keySet());
        List<Object[]> arguments = new java.util.ArrayList<>(users.size());
        for (String user : users) {
            Change change = changes.updates.get(user);
            arguments.add(
                    new Object[] {change.emailVerified, change.sequence, change.changeDate, user, change.sequence});
        }
        int[] counts = jdbc.batchUpdate(FOLDED_UPDATE, arguments);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0 && sequenceOf(users.get(i)).isEmpty()) {
                throw new IllegalStateException("the users projection holds no row for a stream at event "
                        + changes.updates.get(users.get(i)).sequence);
            }
        }
    }

    public Optional<UserView> find(UserId userId) {
        List<UserView> rows = jdbc.query(SELECT, UserRows::view, userId.value());
        return rows.stream().findFirst();
    }

    /** The 1-based sequence the row has reached, if there is a row. */
    public Optional<Long> sequenceOf(String userId) {
        List<Long> sequences = jdbc.queryForList("SELECT sequence FROM users WHERE user_id = ?", Long.class, userId);
        return sequences.stream().findFirst();
    }

    /** Empties the table, before a replay rebuilds it. */
    public void deleteAll() {
        jdbc.execute("TRUNCATE TABLE users");
    }

    private static UserView view(ResultSet rs, int row) throws SQLException {
        OrgId orgId = new OrgId(rs.getString("org_id"));
        return new UserView(
                new UserId(rs.getString("user_id")),
                orgId,
                rs.getString("username"),
                rs.getString("given_name"),
                rs.getString("family_name"),
                rs.getString("display_name"),
                rs.getString("preferred_language"),
                rs.getString("email"),
                rs.getBoolean("email_verified"),
                UserView.UserState.valueOf(rs.getString("state")),
                rs.getTimestamp("creation_date").toInstant(),
                new ReadDetails(
                        rs.getLong("sequence"), rs.getTimestamp("change_date").toInstant(), orgId));
    }
}
