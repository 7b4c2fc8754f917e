package dev.admit.core;

import dev.admit.core.api.AdmitOperations;
import dev.admit.domain.user.UserId;
import dev.admit.projection.ParkedEvent;
import dev.admit.projection.ParkedEventsOperator;
import dev.admit.projection.ProjectionStatus;
import dev.admit.projection.ProjectionStatusReader;
import dev.admit.projection.RebuildProgress;
import dev.admit.projection.RebuildResult;
import dev.admit.projection.UsersProjectionReplay;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** {@link AdmitOperations} over the users projection's parked events, status reader and rebuild. */
public final class ReadModelOperations implements AdmitOperations {

    private final ParkedEventsOperator parked;
    private final ProjectionStatusReader status;
    private final UsersProjectionReplay rebuild;

    public ReadModelOperations(
            ParkedEventsOperator parked, ProjectionStatusReader status, UsersProjectionReplay rebuild) {
        this.parked = parked;
        this.status = status;
        this.rebuild = rebuild;
    }

    @Override
    public ProjectionStatus projectionStatus() {
        return status.read();
    }

    @Override
    public List<ParkedEvent> parkedEvents(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("a list of parked events holds 1 to 1000 of them");
        }
        return parked.list(limit);
    }

    @Override
    public ParkedEventsOperator.Outcome retryParkedEvents(UserId userId) {
        return parked.retry(Objects.requireNonNull(userId, "userId"));
    }

    @Override
    public ParkedEventsOperator.Outcome dropParkedEvent(UserId userId) {
        return parked.drop(Objects.requireNonNull(userId, "userId"));
    }

    @Override
    public RebuildResult rebuildUsersProjection(Consumer<RebuildProgress> progress) {
        return rebuild.rebuild(Objects.requireNonNull(progress, "progress"));
    }
}
