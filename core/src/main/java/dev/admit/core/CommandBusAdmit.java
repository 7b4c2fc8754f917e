package dev.admit.core;

import dev.admit.core.api.Admit;
import dev.admit.core.api.AdmitOperations;
import dev.admit.core.api.NewHumanUser;
import dev.admit.core.api.PasswordVerification;
import dev.admit.core.api.UserAuthenticationMethods;
import dev.admit.core.api.UserPassword;
import dev.admit.core.password.Passwords;
import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.AddHumanUserResult;
import dev.admit.domain.message.CheckPasswordCommand;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.InitialPassword;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasswordOutcome;
import dev.admit.domain.message.PasswordResetDelivery;
import dev.admit.domain.message.ReadPasswordHashCommand;
import dev.admit.domain.message.RequestPasswordResetCommand;
import dev.admit.domain.message.RequestPasswordResetResult;
import dev.admit.domain.message.ResendInviteCodeCommand;
import dev.admit.domain.message.SetPasswordCommand;
import dev.admit.domain.message.SetPasswordVerification;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.message.WriteDetails;
import dev.admit.domain.password.CheckedPassword;
import dev.admit.domain.password.PasswordHash;
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

/**
 * {@link Admit} over Admit's command gateway (writes) and the users read model (reads). Passwords are hashed and
 * verified here, on the bounded pool of {@link Passwords}, before a command is sent: the command handler holds the
 * user's lock and a transaction, too long for argon2.
 */
public final class CommandBusAdmit implements Admit {

    static final int MAX_PAGE = 1000;

    private final CommandGateway commands;
    private final UserQueries queries;
    private final UserIdGenerator userIds;
    private final AdmitOperations operations;
    private final RefusalObserver refusals;
    private final Passwords passwords;

    /**
     * @param operations what operators do with the read model ({@link ReadModelOperations})
     * @param refusals told of every refusal, for metrics
     * @param passwords hashing settings and pool; the caller owns it and closes it after this is no longer used
     */
    public CommandBusAdmit(
            CommandGateway commands,
            UserQueries queries,
            UserIdGenerator userIds,
            AdmitOperations operations,
            RefusalObserver refusals,
            Passwords passwords) {
        this.refusals = refusals;
        this.commands = commands;
        this.queries = queries;
        this.userIds = userIds;
        this.operations = operations;
        this.passwords = Objects.requireNonNull(passwords, "passwords");
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
                user.emailVerified(),
                initialPassword(user.password())));
    }

    private InitialPassword initialPassword(UserPassword password) {
        if (password == null) {
            return null;
        }
        if (password instanceof UserPassword.Hashed hashed) {
            InvalidValueException.requireLength("hashed_password.hash", hashed.encodedHash(), 1, 200);
            return new InitialPassword.Imported(PasswordHash.of(hashed.encodedHash()), hashed.changeRequired());
        }
        UserPassword.Plain plain = (UserPassword.Plain) password;
        return new InitialPassword.Chosen(
                passwords.newPassword("password.password", plain.password(), plain.changeRequired()));
    }

    @Override
    public WriteDetails setPassword(
            OrgScope scope,
            UserId userId,
            String newPassword,
            boolean changeRequired,
            PasswordVerification verification) {
        requireScope(scope);
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(verification, "verification");
        // validated before any hashing, so that a malformed request costs nothing
        SetPasswordVerification.ResetCode resetCode = verification instanceof PasswordVerification.ResetCode code
                ? new SetPasswordVerification.ResetCode(code.code())
                : null;
        if (verification instanceof PasswordVerification.CurrentPassword current) {
            InvalidValueException.requireLength("current_password", current.password(), 1, 200);
        }
        InvalidValueException.requireLength("new_password.password", newPassword, 1, 200);

        SetPasswordVerification checked;
        if (verification instanceof PasswordVerification.CurrentPassword current) {
            checked =
                    new SetPasswordVerification.CurrentPassword(checkAgainstStored(scope, userId, current.password()));
        } else if (resetCode != null) {
            checked = resetCode;
        } else {
            checked = new SetPasswordVerification.Unverified();
        }
        PasswordOutcome outcome = send(new SetPasswordCommand(
                userId, scope, passwords.newPassword("new_password.password", newPassword, changeRequired), checked));
        return accepted(outcome);
    }

    @Override
    public RequestPasswordResetResult requestPasswordReset(
            OrgScope scope, UserId userId, PasswordResetDelivery delivery) {
        return send(new RequestPasswordResetCommand(userId, requireScope(scope), delivery));
    }

    @Override
    public WriteDetails checkPassword(OrgScope scope, UserId userId, String password) {
        requireScope(scope);
        Objects.requireNonNull(userId, "userId");
        InvalidValueException.requireLength("password", password, 1, 200);
        CheckedPassword checked = checkAgainstStored(scope, userId, password);
        PasswordHash rehash = checked.matched()
                ? passwords.rehashIfWeaker(password, checked.checkedAgainst()).orElse(null)
                : null;
        return accepted(send(new CheckPasswordCommand(userId, scope, checked, rehash)));
    }

    /**
     * Verifies {@code attempt} against the user's stored hash, or against a dummy one when the user is missing, out of
     * scope or without a password, so that each answer costs one verification; the command that follows refuses
     * those cases in the aggregate's order.
     */
    private CheckedPassword checkAgainstStored(OrgScope scope, UserId userId, String attempt) {
        Optional<PasswordHash> stored;
        try {
            stored = commands.sendAndWait(new ReadPasswordHashCommand(userId, scope));
        } catch (RuntimeException failure) {
            Optional<RuntimeException> refusal = refusalIn(failure);
            if (refusal.isEmpty()
                    || !(refusal.get() instanceof DomainException domain)
                    || domain.error() != ErrorCatalogue.USER_NOT_FOUND) {
                throw refusal.orElse(failure);
            }
            // answered by the command that follows, after the same work as for a present user
            stored = Optional.empty();
        }
        return passwords.check(attempt, stored);
    }

    private WriteDetails accepted(PasswordOutcome outcome) {
        if (outcome instanceof PasswordOutcome.Rejected rejected) {
            // the failed verification is recorded; the refusal is what the caller sees
            refusals.refused(rejected.error());
            throw rejected.refusal();
        }
        return outcome.details();
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
    public Optional<UserAuthenticationMethods> authenticationMethods(OrgScope scope, UserId userId) {
        return findUser(scope, userId).map(UserAuthenticationMethods::of);
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
