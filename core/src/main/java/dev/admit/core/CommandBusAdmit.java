package dev.admit.core;

import dev.admit.core.api.Admit;
import dev.admit.core.api.AdmitOperations;
import dev.admit.core.api.NewHumanUser;
import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.AddHumanUserResult;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.ResendInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.message.WriteDetails;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.projection.FindUserQuery;
import dev.admit.projection.UserPage;
import dev.admit.projection.UserQueries;
import dev.admit.projection.UserView;
import dev.admit.store.DatabaseOutage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;

/** {@link Admit} over Admit's command gateway (writes) and the users read model (reads). */
public final class CommandBusAdmit implements Admit {

    static final int MAX_PAGE = 1000;

    private final CommandGateway commands;
    private final UserQueries queries;
    private final UserIdGenerator userIds;
    private final AdmitOperations operations;
    private final RefusalObserver refusals;

    /**
     * @param operations what operators do with the read model ({@link ReadModelOperations})
     * @param refusals told of every refusal, for metrics
     */
    public CommandBusAdmit(
            CommandGateway commands,
            UserQueries queries,
            UserIdGenerator userIds,
            AdmitOperations operations,
            RefusalObserver refusals) {
        this.refusals = refusals;
        this.commands = commands;
        this.queries = queries;
        this.userIds = userIds;
        this.operations = operations;
    }

    @Override
    public AdmitOperations operations() {
        return operations;
    }

    @Override
    public AddHumanUserResult addHumanUser(OrgScope scope, NewHumanUser user) {
        Objects.requireNonNull(user, "user");
        if (!requireScope(scope).admits(user.orgId())) {
            throw ErrorCatalogue.USER_NOT_FOUND.exception();
        }
        return send(new AddHumanUserCommand(
                user.userId() != null ? user.userId() : userIds.next(),
                user.orgId(),
                user.username(),
                user.givenName(),
                user.familyName(),
                user.displayName(),
                user.preferredLanguage(),
                user.email(),
                user.emailVerified()));
    }

    @Override
    public CreateInviteCodeResult createInviteCode(OrgScope scope, UserId userId, InviteDelivery delivery) {
        return send(new CreateInviteCodeCommand(userId, requireScope(scope), delivery));
    }

    @Override
    public WriteDetails resendInviteCode(OrgScope scope, UserId userId) {
        return send(new ResendInviteCodeCommand(userId, requireScope(scope)));
    }

    @Override
    public WriteDetails verifyInviteCode(OrgScope scope, UserId userId, String code) {
        VerifyInviteCodeOutcome outcome = send(new VerifyInviteCodeCommand(userId, requireScope(scope), code));
        if (outcome instanceof VerifyInviteCodeOutcome.Rejected rejected) {
            // the failed attempt is recorded; the refusal is what the caller sees
            refusals.refused(rejected.error());
            throw rejected.refusal();
        }
        return outcome.details();
    }

    @Override
    public Optional<UserView> findUser(OrgScope scope, UserId userId) {
        Optional<UserView> user = queries.find(new FindUserQuery(userId, requireScope(scope)));
        DatabaseOutage.reached();
        return user;
    }

    @Override
    public UserPage listUsers(OrgScope scope, OrgId orgId, long offset, int limit) {
        Objects.requireNonNull(orgId, "orgId");
        if (offset < 0) {
            throw new InvalidValueException("offset", "offset must be 0 or more");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidValueException("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        if (!requireScope(scope).admits(orgId)) {
            return new UserPage(0, offset, List.of());
        }
        return queries.list(orgId, offset, limit);
    }

    private static OrgScope requireScope(OrgScope scope) {
        return Objects.requireNonNull(scope, "scope");
    }

    /** Sends a command and answers its result, with a refusal thrown as the domain's own exception. */
    private <R> R send(Object command) {
        R result;
        try {
            result = commands.sendAndWait(command);
        } catch (RuntimeException failure) {
            // a refusal may come before the database was asked: it says nothing about an outage
            Optional<RuntimeException> refusal = refusalIn(failure);
            refusal.filter(DomainException.class::isInstance)
                    .ifPresent(domain -> refusals.refused(((DomainException) domain).error()));
            throw refusal.orElse(failure);
        }
        DatabaseOutage.reached();
        return result;
    }

    private static Optional<RuntimeException> refusalIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DomainException || cause instanceof InvalidValueException) {
                return Optional.of((RuntimeException) cause);
            }
        }
        return Optional.empty();
    }
}
