package dev.admit.projection;

import dev.admit.domain.user.UserId;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.axonframework.common.transaction.TransactionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/** An operator's hold on the users projection's parked events: list them, retry a user's, or drop the first. */
public class ParkedEventsOperator {

    /** What a retry or a drop left behind. */
    public enum Outcome {
        /** The user had nothing parked. */
        NOTHING_PARKED,
        /** The row took every event of the user's stream; nothing is parked any more. */
        CAUGHT_UP,
        /** An event still cannot be applied; it stays parked, with its reason. */
        STILL_PARKED
    }

    private static final Logger log = LoggerFactory.getLogger(ParkedEventsOperator.class);

    private final ParkedUserEvents parked;
    private final UserRows rows;
    private final UserStreamCatchUp catchUp;
    private final Savepoints savepoints;
    private final TransactionManager transactions;
    private final Clock clock;

    public ParkedEventsOperator(
            ParkedUserEvents parked,
            UserRows rows,
            UserStreamCatchUp catchUp,
            JdbcTemplate jdbc,
            TransactionManager transactions,
            Clock clock) {
        this.parked = parked;
        this.rows = rows;
        this.catchUp = catchUp;
        this.savepoints = new Savepoints(jdbc);
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The parked events, oldest first. */
    public List<ParkedEvent> list(int limit) {
        return transactions.fetchInTransaction(() -> parked.list(limit));
    }

    public long count() {
        return transactions.fetchInTransaction(parked::count);
    }

    /** Applies the user's stream again from where the row waits, for a fault that has since been cured. */
    public Outcome retry(UserId userId) {
        return transactions.fetchInTransaction(() -> {
            if (parked.firstParked(userId.value()).isEmpty()) {
                return Outcome.NOTHING_PARKED;
            }
            Outcome outcome = catchUpAndRecord(userId.value());
            log.info("Users projection: an operator retried user {}'s parked events: {}", userId.value(), outcome);
            return outcome;
        });
    }

    /**
     * Gives up on the user's first parked event: the row moves past it without it, and takes the stream's later
     * events. If that event added the user, there is no row to move: the user stays out of the read model.
     */
    public Outcome drop(UserId userId) {
        return transactions.fetchInTransaction(() -> {
            Optional<Long> first = parked.firstParked(userId.value());
            if (first.isEmpty()) {
                return Outcome.NOTHING_PARKED;
            }
            long dropped = first.get();
            boolean skipped = rows.skip(userId.value(), dropped);
            log.warn(
                    "Users projection: an operator dropped event {} of user {}; the row {}",
                    dropped,
                    userId.value(),
                    skipped ? "moved past it without it" : "does not exist and is not made");
            if (!skipped) {
                parked.release(userId.value());
                return Outcome.CAUGHT_UP;
            }
            parked.releaseBefore(userId.value(), dropped + 1);
            return catchUpAndRecord(userId.value());
        });
    }

    private Outcome catchUpAndRecord(String userId) {
        Optional<UserStreamCatchUp.Stuck> stuck = catchUp.catchUpStepwise(userId, savepoints);
        if (stuck.isEmpty()) {
            parked.release(userId);
            return Outcome.CAUGHT_UP;
        }
        UserStreamCatchUp.Stuck first = stuck.get();
        parked.releaseBefore(userId, first.sequence());
        parked.park(List.of(
                new ParkedEvent(userId, first.sequence(), null, first.eventType(), first.reason(), clock.instant())));
        return Outcome.STILL_PARKED;
    }
}
