package dev.admit.projection;

import dev.admit.store.AdmitTables;
import dev.admit.store.PassedGaps;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.common.transaction.TransactionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Finds events that were committed into a stretch of the global index the processor had already moved past (see
 * {@link PassedGaps}) and brings their users' rows up to date from the users' streams. Without it, such an event
 * would never reach the read model when it is the last of its stream: the processor will not go back for it.
 */
public class LateEventSweep {

    private static final Logger log = LoggerFactory.getLogger(LateEventSweep.class);

    /** The passed stretches: a handful at most, usually none. */
    private static final String STRETCHES =
            "SELECT from_index, to_index FROM {passed_gaps} ORDER BY from_index LIMIT 1000";

    /**
     * The events stored in one stretch whose user's row has not taken them, parked users aside: an index range
     * scan of the event table (a join over all stretches at once let the planner scan the whole table).
     */
    private static final String BEHIND_IN_STRETCH = """
            SELECT DISTINCT e.aggregate_identifier
            FROM {domain_event_entry} e
            LEFT JOIN {users} u ON u.user_id = e.aggregate_identifier
            WHERE e.global_index BETWEEN ? AND ?
              AND (u.user_id IS NULL OR u.sequence <= e.sequence_number)
              AND NOT EXISTS (SELECT 1 FROM {users_parked_events} p WHERE p.user_id = e.aggregate_identifier)
            """;

    private final JdbcTemplate jdbc;
    private final String stretches;
    private final String behindInStretch;
    private final UserStreamCatchUp catchUp;
    private final PassedGaps passedGaps;
    private final TransactionManager transactions;
    private final Clock clock;
    private final Duration horizon;

    /** @param horizon how long a passed stretch is watched for a late commit */
    public LateEventSweep(
            JdbcTemplate jdbc,
            AdmitTables tables,
            UserStreamCatchUp catchUp,
            PassedGaps passedGaps,
            TransactionManager transactions,
            Clock clock,
            Duration horizon) {
        this.jdbc = jdbc;
        this.stretches = tables.sql(STRETCHES);
        this.behindInStretch = tables.sql(BEHIND_IN_STRETCH);
        this.catchUp = catchUp;
        this.passedGaps = passedGaps;
        this.transactions = transactions;
        this.clock = clock;
        this.horizon = horizon;
    }

    /** One round: catches up every user with a late event, then forgets stretches older than the horizon. */
    public int sweep() {
        List<String> late = transactions.fetchInTransaction(() -> {
            Set<String> users = new LinkedHashSet<>();
            jdbc.query(stretches, rs -> {
                users.addAll(jdbc.queryForList(behindInStretch, String.class, rs.getLong(1), rs.getLong(2)));
            });
            return List.copyOf(users);
        });
        int caughtUp = 0;
        for (String userId : late) {
            try {
                transactions.executeInTransaction(() -> catchUp.catchUp(userId));
                caughtUp++;
            } catch (RuntimeException failure) {
                // the processor parks the user at their next event; until then the sweep tries again
                log.warn(
                        "Users projection: user {}'s row could not take an event committed late: {}",
                        userId,
                        failure.getClass().getSimpleName());
            }
        }
        if (caughtUp > 0) {
            log.info(
                    "Users projection: {} row(s) caught up with events committed after the processor had passed "
                            + "their position",
                    caughtUp);
        }
        transactions.executeInTransaction(
                () -> passedGaps.forgetBefore(clock.instant().minus(horizon)));
        return caughtUp;
    }
}
