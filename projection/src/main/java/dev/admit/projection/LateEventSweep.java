package dev.admit.projection;

import dev.admit.store.AdmitTables;
import dev.admit.store.PassedGaps;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

    /**
     * The users with an event stored in a passed stretch that their row has not taken, parked users aside, over every
     * stretch still watched; stretches pile up where appends roll back (each leaves an index unused), so none is left
     * out. The planner cannot know a stretch holds almost no events, so the statement is shaped to be read stretch by
     * stretch: {@code OFFSET 0} keeps the lateral range scan of the event table's index from being flattened into a
     * join, and the row's position is a scalar subquery, one primary-key lookup per event found, where a join would
     * hash the whole users table.
     */
    private static final String BEHIND = """
            SELECT DISTINCT e.aggregate_identifier
            FROM {passed_gaps} s
            CROSS JOIN LATERAL (
                SELECT aggregate_identifier, sequence_number FROM {domain_event_entry}
                WHERE global_index BETWEEN s.from_index AND s.to_index OFFSET 0) e
            WHERE coalesce((SELECT u.sequence FROM {users} u WHERE u.user_id = e.aggregate_identifier), 0)
                    <= e.sequence_number
              AND NOT EXISTS (SELECT 1 FROM {users_parked_events} p WHERE p.user_id = e.aggregate_identifier)
            """;

    private final JdbcTemplate jdbc;
    private final String behind;
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
        this.behind = tables.sql(BEHIND);
        this.catchUp = catchUp;
        this.passedGaps = passedGaps;
        this.transactions = transactions;
        this.clock = clock;
        this.horizon = horizon;
    }

    /**
     * One round: catches up every user with a late event, then forgets the stretches no running transaction can
     * still commit into, and those older than the horizon.
     */
    public int sweep() {
        long oldestRunning = passedGaps.oldestRunningTransaction();
        List<String> late = jdbc.queryForList(behind, String.class);
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
        if (caughtUp == late.size()) {
            // otherwise kept, so the next round finds the users whose rows could not take their late events
            passedGaps.forgetSettled(oldestRunning);
        }
        transactions.executeInTransaction(
                () -> passedGaps.forgetBefore(clock.instant().minus(horizon)));
        return caughtUp;
    }
}
