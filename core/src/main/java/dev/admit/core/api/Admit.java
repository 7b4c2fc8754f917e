package dev.admit.core.api;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.message.AddHumanUserResult;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasswordResetDelivery;
import dev.admit.domain.message.RequestPasswordResetResult;
import dev.admit.domain.message.WriteDetails;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.projection.UserPage;
import dev.admit.projection.UserView;
import java.util.Optional;

/**
 * Admit's invite flow for Java callers: add a user, give them an invite code, returned or mailed, let them verify it,
 * let them set a password (or reset it), and read users back. Every call takes the caller's organization scope: a user outside it is answered as missing.
 * Writes return the details of their last event (1-based sequence, change date, resource owner), which later reads
 * of the user show exactly.
 *
 * <p>A refusal is a {@link DomainException} carrying its {@link dev.admit.domain.error.ErrorCatalogue} entry; a value
 * that breaks a length or format rule is an {@link InvalidValueException}. Calls are synchronous, thread-safe, and
 * run in transactions of Admit's own: call them outside a transaction of yours.
 */
public interface Admit {

    /**
     * Adds a human user to an organization the scope admits. With a {@link NewHumanUser#password() password} the user
     * is initialized in the same write (its details are those of the {@code password.changed}): a plain password must
     * comply with the complexity policy and is hashed first; a hash must be argon2id, argon2i or bcrypt.
     *
     * @throws DomainException {@code USER_ALREADY_EXISTS} for a taken id, {@code USERNAME_TAKEN} for a username the
     *     organization already has, {@code USER_NOT_FOUND} for an organization outside the scope, a complexity rule
     *     ({@code PASSWORD_TOO_SHORT}, {@code PASSWORD_WITHOUT_LOWERCASE}, …) for a plain password that breaks it,
     *     {@code PASSWORD_HASH_UNSUPPORTED} for a hash of another format, {@code PASSWORD_HASHING_BUSY} when the
     *     hashing pool is full
     * @throws InvalidValueException for a plain password of more than 200 characters, or (with bcrypt configured)
     *     more than 72 bytes
     */
    AddHumanUserResult addHumanUser(OrgScope scope, NewHumanUser user);

    /**
     * Sets a user's password, after {@code verification}, and answers the details of its {@code password.changed}.
     * Checked in this order: the user exists within the scope; the verification holds; the new password complies
     * with the complexity policy. A wrong current password and a wrong, expired or used reset code are recorded and
     * then refused; three wrong codes end a reset code. The password is hashed before anything is written; the caller
     * decides who may set a password without verification.
     *
     * @param changeRequired whether the user must change it at the next sign-in
     * @throws DomainException {@code USER_NOT_FOUND}; for the current password {@code PASSWORD_INVALID}, {@code
     *     PASSWORD_NOT_SET}, {@code PASSWORD_CHANGED_MEANWHILE} (a concurrent change: try again); for a reset code
     *     {@code PASSWORD_CODE_INVALID}, {@code PASSWORD_CODE_EXPIRED}, {@code PASSWORD_CODE_USED}, {@code
     *     PASSWORD_CODE_NOT_FOUND}, {@code INVITE_CODE_UNREADABLE}; then a complexity rule ({@code
     *     PASSWORD_TOO_SHORT}, …); {@code PASSWORD_HASHING_BUSY} when the hashing pool is full
     * @throws InvalidValueException for a password or current password outside 1 to 200 characters (or, with bcrypt,
     *     over 72 bytes), a reset code outside 1 to 20
     */
    WriteDetails setPassword(
            OrgScope scope,
            UserId userId,
            String newPassword,
            boolean changeRequired,
            PasswordVerification verification);

    /**
     * Issues a new password reset code, superseding any earlier one: returned in the result for {@link
     * PasswordResetDelivery.ReturnCode}, mailed for {@link PasswordResetDelivery.SendLink} by email. A code lives one
     * hour unless configured otherwise, and is dead after three wrong attempts or once the password changed.
     *
     * @throws DomainException {@code USER_NOT_FOUND}, {@code PASSWORD_RESET_BY_SMS_UNSUPPORTED} for SMS, {@code
     *     URL_TEMPLATE_INVALID}
     */
    RequestPasswordResetResult requestPasswordReset(OrgScope scope, UserId userId, PasswordResetDelivery delivery);

    /**
     * Checks a user's password, as a host's own sign-in would. A mismatch is recorded ({@code password.check.failed})
     * and refused; a match against a hash weaker than the current settings re-encodes it ({@code
     * password.hash.updated}). Answers the details of the last event of the user's stream.
     *
     * @throws DomainException {@code USER_NOT_FOUND}, {@code PASSWORD_NOT_SET}, {@code PASSWORD_INVALID}, {@code
     *     PASSWORD_CHANGED_MEANWHILE}, {@code PASSWORD_HASHING_BUSY}
     * @throws InvalidValueException for a password outside 1 to 200 characters
     */
    WriteDetails checkPassword(OrgScope scope, UserId userId, String password);

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

    /**
     * The user as of every write that returned before this call, if it exists within the scope: profile, email, the
     * time of the last password change and whether a change is required, the kinds of authentication method.
     */
    Optional<UserView> findUser(OrgScope scope, UserId userId);

    /**
     * The kinds of authentication method the user has (password, passkey, identity provider), as of every write that
     * returned before this call (right after {@link #setPassword} it shows the password), with the details of the
     * read. Empty, like {@link #findUser}, for a user that does not exist within the scope.
     */
    Optional<UserAuthenticationMethods> authenticationMethods(OrgScope scope, UserId userId);

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
