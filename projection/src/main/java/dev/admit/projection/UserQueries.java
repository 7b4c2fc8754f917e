package dev.admit.projection;

import dev.admit.domain.user.OrgId;
import java.util.Optional;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * Reads users with read-your-writes: a read first asks the event store how far the user's stream reaches (one
 * index lookup) and, if the projection's row is behind, applies the missing events of that one user before
 * answering. A read therefore never shows less than a write already returned, and never waits on other users'
 * backlog.
 */
public class UserQueries {

    private final UserRows rows;
    private final EventStore eventStore;
    private final TransactionManager transactionManager;
    private final UserStreamCatchUp catchUp;

    public UserQueries(UserRows rows, EventStore eventStore, TransactionManager transactionManager) {
        this.rows = rows;
        this.eventStore = eventStore;
        this.transactionManager = transactionManager;
        this.catchUp = new UserStreamCatchUp(rows, eventStore::readEvents);
    }

    public Optional<UserView> find(FindUserQuery query) {
        long streamLength = eventStore
                .lastSequenceNumberFor(query.userId().value())
                .map(last -> last + 1)
                .orElse(0L);
        if (streamLength == 0) {
            return Optional.empty();
        }
        Optional<UserView> row = rows.find(query.userId());
        long applied = row.map(view -> view.details().sequence()).orElse(0L);
        if (applied < streamLength) {
            transactionManager.executeInTransaction(
                    () -> catchUp.catchUp(query.userId().value()));
            row = rows.find(query.userId());
        }
        return row.filter(view -> query.scope().admits(view.orgId()));
    }

    /**
     * One page of an organization's users as the projection holds them. Unlike {@link #find}, a list does not catch
     * rows up first: a user whose latest events the processor has not applied yet shows as of its last applied event.
     */
    public UserPage list(OrgId orgId, long offset, int limit) {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("a page starts at offset 0 or later and holds at least one user");
        }
        return transactionManager.fetchInTransaction(
                () -> new UserPage(rows.count(orgId), offset, rows.page(orgId, offset, limit)));
    }
}
