package dev.admit.core.api;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.message.AddHumanUserResult;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.WriteDetails;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.projection.UserPage;
import dev.admit.projection.UserView;
import java.util.Optional;

/**
 * Admit's invite flow for Java callers: add a user, give them an invite code, returned or mailed, let them verify it,
 * and read users back. Every call takes the caller's organization scope: a user outside it is answered as missing.
 * Writes return the details of their last event (1-based sequence, change date, resource owner), which later reads
 * of the user show exactly.
 *
 * <p>A refusal is a {@link DomainException} carrying its {@link dev.admit.domain.error.ErrorCatalogue} entry; a value
 * that breaks a length or format rule is an {@link InvalidValueException}. Calls are synchronous, thread-safe, and
 * run in transactions of Admit's own: call them outside a transaction of yours.
 */
public interface Admit {

    /**
     * Adds a human user to an organization the scope admits.
     *
     * @throws DomainException {@code USER_ALREADY_EXISTS} for a taken id, {@code USERNAME_TAKEN} for a username the
     *     organization already has, {@code USER_NOT_FOUND} for an organization outside the scope
     */
    AddHumanUserResult addHumanUser(OrgScope scope, NewHumanUser user);

    /**
     * Issues a new invite code, superseding any earlier one: returned in the result for {@link
     * InviteDelivery.ReturnCode}, mailed for {@link InviteDelivery.SendCode}.
     *
     * @throws DomainException {@code USER_NOT_FOUND}, {@code USER_ALREADY_INITIALIZED}, {@code URL_TEMPLATE_INVALID}
     */
    CreateInviteCodeResult createInviteCode(OrgScope scope, UserId userId, InviteDelivery delivery);

    /**
     * Mails the user's active invite code again, as a new code.
     *
     * @throws DomainException {@code USER_NOT_FOUND}, {@code INVITE_CODE_NOT_FOUND} when no mailed code is active
     */
    WriteDetails resendInviteCode(OrgScope scope, UserId userId);

    /**
     * Verifies an invite code; on success the user's email is verified. A wrong, expired or dead code is recorded
     * (three wrong attempts end a code) and then refused: this method returns only for a verified code.
     *
     * @throws DomainException {@code INVITE_CODE_INVALID}, {@code INVITE_CODE_EXPIRED}, {@code
     *     USER_NOT_FOUND_ON_VERIFY}
     */
    WriteDetails verifyInviteCode(OrgScope scope, UserId userId, String code);

    /** The user as of every write that returned before this call, if it exists within the scope. */
    Optional<UserView> findUser(OrgScope scope, UserId userId);

    /**
     * One page of an organization's users in the order of their ids; empty for an organization outside the scope.
     * A page shows users as the read model holds them, which may trail the latest writes by a moment.
     *
     * @param offset users to skip, 0 or more
     * @param limit users on the page, 1 to 1000
     */
    UserPage listUsers(OrgScope scope, OrgId orgId, long offset, int limit);

    /** What an operator does with the read model: its parked events. */
    AdmitOperations operations();
}
