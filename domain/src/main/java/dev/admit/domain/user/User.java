package dev.admit.domain.user;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.admit.domain.crypto.UndecryptableCodeException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.invite.InviteCodePolicy;
import dev.admit.domain.invite.InviteCodes;
import dev.admit.domain.invite.UrlTemplate;
import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.AddHumanUserResult;
import dev.admit.domain.message.CheckPasswordCommand;
import dev.admit.domain.message.ConfirmInviteCodeSentCommand;
import dev.admit.domain.message.ConfirmPasswordCodeSentCommand;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.IdpLinkAdded;
import dev.admit.domain.message.IdpLinkRemoved;
import dev.admit.domain.message.InitialPassword;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.InviteCodeCheckFailed;
import dev.admit.domain.message.InviteCodeCheckFailed.Reason;
import dev.admit.domain.message.InviteCodeSent;
import dev.admit.domain.message.InviteCodeVerified;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasskeyAdded;
import dev.admit.domain.message.PasskeyRemoved;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.PasswordCheckFailed;
import dev.admit.domain.message.PasswordCodeAdded;
import dev.admit.domain.message.PasswordCodeCheckFailed;
import dev.admit.domain.message.PasswordCodeSent;
import dev.admit.domain.message.PasswordHashUpdated;
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
import dev.admit.domain.password.NewPassword;
import dev.admit.domain.password.PasswordHash;
import dev.admit.domain.serialization.StoredTimestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateRoot;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;

/**
 * A user, its invite code, its password and its password reset code. Command handlers decide and apply events; event
 * sourcing handlers only change state. Passwords arrive hashed and checked: hashing is too slow to run while the
 * command holds the user's lock and a transaction, so the entry point does it first and the aggregate decides with
 * the results.
 *
 * <p>Every handler may create the aggregate ({@code CREATE_IF_MISSING}) so that a missing user is answered by the
 * domain with the error its command documents, not by the repository; a refused command applies nothing, so no
 * stream is created. Its fields are what a snapshot stores; bump the revision when they change.
 */
@AggregateRoot(type = "user")
@Revision("2")
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class User {

    @AggregateIdentifier
    private UserId userId;

    private OrgId orgId;
    private AuthenticationMethods authenticationMethods = AuthenticationMethods.NONE;
    private IssuedInviteCode inviteCode;
    private String lastUrlTemplate;
    private String lastApplicationName;
    private String passwordHash;
    private IssuedPasswordCode passwordCode;
    private long lastSequence;
    private Instant lastChangeDate;

    protected User() {
        // for Axon: state is rebuilt from events
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AddHumanUserResult handle(AddHumanUserCommand command) {
        if (exists()) {
            throw ErrorCatalogue.USER_ALREADY_EXISTS.exception();
        }
        InitialPassword password = command.password();
        if (password instanceof InitialPassword.Chosen chosen) {
            requireCompliant(chosen.password());
        }
        apply(new HumanUserAdded(
                command.userId(),
                command.orgId(),
                command.username().value(),
                command.givenName(),
                command.familyName(),
                command.displayName(),
                command.preferredLanguage(),
                command.email().value()));
        if (command.emailVerified()) {
            apply(new EmailVerified());
        }
        if (password instanceof InitialPassword.Chosen chosen) {
            apply(new PasswordChanged(
                    chosen.password().hash().encoded(), chosen.password().changeRequired()));
        } else if (password instanceof InitialPassword.Imported imported) {
            apply(new PasswordChanged(imported.hash().encoded(), imported.changeRequired()));
        }
        return new AddHumanUserResult(userId, details());
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public PasswordOutcome handle(SetPasswordCommand command, InviteCodes inviteCodes, Clock clock) {
        requireVisible(command.scope(), ErrorCatalogue.USER_NOT_FOUND);
        Optional<PasswordOutcome.Rejected> refused = Optional.empty();
        if (command.verification() instanceof SetPasswordVerification.CurrentPassword current) {
            refused = checkCurrentPassword(current.checked());
        } else if (command.verification() instanceof SetPasswordVerification.ResetCode code) {
            refused = checkResetCode(code.code(), inviteCodes.passwordResetCodes(), clock.instant());
        }
        if (refused.isPresent()) {
            return refused.get();
        }
        NewPassword newPassword = command.newPassword();
        requireCompliant(newPassword);
        apply(new PasswordChanged(
                newPassword.hash().encoded(),
                newPassword.changeRequired(),
                command.userAgentId(),
                command.triggerOrigin()));
        return new PasswordOutcome.Accepted(details());
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public PasswordOutcome handle(CheckPasswordCommand command) {
        requireVisible(command.scope(), ErrorCatalogue.USER_NOT_FOUND);
        Optional<PasswordOutcome.Rejected> refused = checkCurrentPassword(command.checked());
        if (refused.isPresent()) {
            return refused.get();
        }
        if (command.rehash() != null) {
            apply(new PasswordHashUpdated(command.rehash().encoded()));
        }
        return new PasswordOutcome.Accepted(details());
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Optional<PasswordHash> handle(ReadPasswordHashCommand command) {
        requireVisible(command.scope(), ErrorCatalogue.USER_NOT_FOUND);
        return Optional.ofNullable(passwordHash).map(PasswordHash::of);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public RequestPasswordResetResult handle(RequestPasswordResetCommand command, InviteCodes inviteCodes) {
        requireVisible(command.scope(), ErrorCatalogue.USER_NOT_FOUND);
        InviteCodes resetCodes = inviteCodes.passwordResetCodes();
        if (command.delivery() instanceof PasswordResetDelivery.SendLink link) {
            if (link.notificationType() != PasswordResetDelivery.NotificationType.EMAIL) {
                throw ErrorCatalogue.PASSWORD_RESET_BY_SMS_UNSUPPORTED.exception();
            }
            if (link.urlTemplate() != null) {
                UrlTemplate.parse(link.urlTemplate());
            }
            InviteCodes.IssuedCode issued = resetCodes.issue(userId);
            apply(new PasswordCodeAdded(issued.sealed(), resetCodes.policy().expiry(), link.urlTemplate(), false));
            return new RequestPasswordResetResult(details(), Optional.empty());
        }
        InviteCodes.IssuedCode issued = resetCodes.issue(userId);
        apply(new PasswordCodeAdded(issued.sealed(), resetCodes.policy().expiry(), null, true));
        return new RequestPasswordResetResult(details(), Optional.of(issued.plain()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public WriteDetails handle(ConfirmPasswordCodeSentCommand command) {
        requireVisible(OrgScope.any(), ErrorCatalogue.USER_NOT_FOUND);
        if (passwordCode == null
                || passwordCode.returned()
                || passwordCode.issuedSequence() != command.codeSequence()) {
            throw ErrorCatalogue.PASSWORD_CODE_NOT_FOUND.exception();
        }
        if (!passwordCode.sent()) {
            apply(new PasswordCodeSent());
        }
        return details();
    }

    /**
     * A check made against the hash this user holds now: a mismatch is recorded and refused; a check against a hash
     * that has been replaced since says nothing about the current password and is refused unrecorded.
     */
    private Optional<PasswordOutcome.Rejected> checkCurrentPassword(CheckedPassword checked) {
        if (passwordHash == null) {
            throw ErrorCatalogue.PASSWORD_NOT_SET.exception();
        }
        if (checked.checkedAgainst() == null
                || !checked.checkedAgainst().encoded().equals(passwordHash)) {
            throw ErrorCatalogue.PASSWORD_CHANGED_MEANWHILE.exception();
        }
        if (!checked.matched()) {
            apply(new PasswordCheckFailed());
            return Optional.of(new PasswordOutcome.Rejected(ErrorCatalogue.PASSWORD_INVALID, details()));
        }
        return Optional.empty();
    }

    /** The reset-code rules, in the order of the invite code's: each refusal is recorded. */
    private Optional<PasswordOutcome.Rejected> checkResetCode(String attempt, InviteCodes resetCodes, Instant now) {
        InviteCodePolicy policy = resetCodes.policy();
        if (passwordCode == null) {
            return rejectCode(PasswordCodeCheckFailed.Reason.NO_ACTIVE_CODE, ErrorCatalogue.PASSWORD_CODE_NOT_FOUND);
        }
        if (passwordCode.used()) {
            return rejectCode(PasswordCodeCheckFailed.Reason.USED, ErrorCatalogue.PASSWORD_CODE_USED);
        }
        if (!passwordCode.live(policy)) {
            return rejectCode(PasswordCodeCheckFailed.Reason.NO_ACTIVE_CODE, ErrorCatalogue.PASSWORD_CODE_NOT_FOUND);
        }
        if (passwordCode.expiredAt(now)) {
            return rejectCode(PasswordCodeCheckFailed.Reason.EXPIRED, ErrorCatalogue.PASSWORD_CODE_EXPIRED);
        }
        boolean matches;
        try {
            matches = resetCodes.matches(userId, passwordCode.sealed(), attempt);
        } catch (UndecryptableCodeException unreadable) {
            apply(new PasswordCodeCheckFailed(PasswordCodeCheckFailed.Reason.UNREADABLE));
            return Optional.of(new PasswordOutcome.Rejected(
                    ErrorCatalogue.INVITE_CODE_UNREADABLE,
                    details(),
                    "key " + passwordCode.sealed().keyId()));
        }
        if (!matches) {
            return rejectCode(PasswordCodeCheckFailed.Reason.WRONG_CODE, ErrorCatalogue.PASSWORD_CODE_INVALID);
        }
        return Optional.empty();
    }

    private Optional<PasswordOutcome.Rejected> rejectCode(PasswordCodeCheckFailed.Reason reason, ErrorCatalogue error) {
        apply(new PasswordCodeCheckFailed(reason));
        return Optional.of(new PasswordOutcome.Rejected(error, details()));
    }

    private static void requireCompliant(NewPassword password) {
        Optional<ErrorCatalogue> broken = password.brokenRule();
        if (broken.isPresent()) {
            throw broken.get().exception();
        }
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public CreateInviteCodeResult handle(CreateInviteCodeCommand command, InviteCodes inviteCodes) {
        requireVisible(command.scope(), ErrorCatalogue.USER_NOT_FOUND);
        if (authenticationMethods.any()) {
            throw ErrorCatalogue.USER_ALREADY_INITIALIZED.exception();
        }
        if (command.delivery() instanceof InviteDelivery.SendCode send) {
            if (send.urlTemplate() != null) {
                UrlTemplate.parse(send.urlTemplate());
            }
            String urlTemplate = send.urlTemplate() != null ? send.urlTemplate() : lastUrlTemplate;
            String applicationName = send.applicationName() != null ? send.applicationName() : lastApplicationName;
            issue(inviteCodes, urlTemplate, applicationName, false);
            return new CreateInviteCodeResult(details(), Optional.empty());
        }
        InviteCodes.IssuedCode issued = issue(inviteCodes, null, null, true);
        return new CreateInviteCodeResult(details(), Optional.of(issued.plain()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public WriteDetails handle(ResendInviteCodeCommand command, InviteCodes inviteCodes, Clock clock) {
        requireVisible(command.scope(), ErrorCatalogue.USER_NOT_FOUND);
        if (inviteCode == null || inviteCode.returned() || !inviteCode.active(inviteCodes.policy(), clock.instant())) {
            throw ErrorCatalogue.INVITE_CODE_NOT_FOUND.exception();
        }
        issue(inviteCodes, inviteCode.urlTemplate(), inviteCode.applicationName(), false);
        return details();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public VerifyInviteCodeOutcome handle(VerifyInviteCodeCommand command, InviteCodes inviteCodes, Clock clock) {
        requireVisible(command.scope(), ErrorCatalogue.USER_NOT_FOUND_ON_VERIFY);
        InviteCodePolicy policy = inviteCodes.policy();
        if (inviteCode == null || !inviteCode.live(policy)) {
            return reject(Reason.NO_ACTIVE_CODE, ErrorCatalogue.INVITE_CODE_INVALID);
        }
        if (inviteCode.expiredAt(clock.instant())) {
            return reject(Reason.EXPIRED, ErrorCatalogue.INVITE_CODE_EXPIRED);
        }
        boolean matches;
        try {
            matches = inviteCodes.matches(userId, inviteCode.sealed(), command.verificationCode());
        } catch (UndecryptableCodeException unreadable) {
            apply(new InviteCodeCheckFailed(Reason.UNREADABLE));
            return new VerifyInviteCodeOutcome.Rejected(
                    ErrorCatalogue.INVITE_CODE_UNREADABLE,
                    details(),
                    "key " + inviteCode.sealed().keyId());
        }
        if (!matches) {
            return reject(Reason.WRONG_CODE, ErrorCatalogue.INVITE_CODE_INVALID);
        }
        apply(new InviteCodeVerified());
        apply(new EmailVerified());
        return new VerifyInviteCodeOutcome.Verified(details());
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public WriteDetails handle(ConfirmInviteCodeSentCommand command) {
        requireVisible(OrgScope.any(), ErrorCatalogue.USER_NOT_FOUND);
        if (inviteCode == null || inviteCode.returned() || inviteCode.issuedSequence() != command.codeSequence()) {
            throw ErrorCatalogue.INVITE_CODE_NOT_FOUND.exception();
        }
        if (!inviteCode.sent()) {
            apply(new InviteCodeSent());
        }
        return details();
    }

    private InviteCodes.IssuedCode issue(
            InviteCodes inviteCodes, String urlTemplate, String applicationName, boolean returned) {
        InviteCodes.IssuedCode issued = inviteCodes.issue(userId);
        apply(new InviteCodeAdded(
                issued.sealed(), inviteCodes.policy().expiry(), urlTemplate, applicationName, returned));
        return issued;
    }

    private VerifyInviteCodeOutcome reject(Reason reason, ErrorCatalogue error) {
        apply(new InviteCodeCheckFailed(reason));
        return new VerifyInviteCodeOutcome.Rejected(error, details());
    }

    private boolean exists() {
        return userId != null;
    }

    /** A user outside the caller's organizations is answered as missing. */
    private void requireVisible(OrgScope scope, ErrorCatalogue notFound) {
        if (!exists() || !scope.admits(orgId)) {
            throw notFound.exception();
        }
    }

    private WriteDetails details() {
        return new WriteDetails(lastSequence + 1, lastChangeDate, orgId);
    }

    private void track(long sequence, Instant timestamp) {
        lastSequence = sequence;
        lastChangeDate = StoredTimestamps.asStored(timestamp);
    }

    @EventSourcingHandler
    void on(HumanUserAdded event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        userId = event.userId();
        orgId = event.orgId();
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(EmailVerified event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        if (inviteCode != null) {
            inviteCode = inviteCode.asEnded();
        }
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(InviteCodeAdded event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        inviteCode = new IssuedInviteCode(
                event.code(),
                InviteCodePolicy.expiresAt(StoredTimestamps.asStored(timestamp), event.expiry()),
                sequence + 1,
                event.urlTemplate(),
                event.applicationName(),
                event.codeReturned(),
                false,
                0,
                false);
        if (event.urlTemplate() != null) {
            lastUrlTemplate = event.urlTemplate();
        }
        if (event.applicationName() != null) {
            lastApplicationName = event.applicationName();
        }
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(InviteCodeSent event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        if (inviteCode != null) {
            inviteCode = inviteCode.asSent();
        }
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(InviteCodeVerified event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        if (inviteCode != null) {
            inviteCode = inviteCode.asEnded();
        }
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(InviteCodeCheckFailed event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        if (inviteCode != null) {
            switch (event.reason()) {
                case WRONG_CODE -> inviteCode = inviteCode.withFailure();
                case EXPIRED -> inviteCode = inviteCode.asEnded();
                case NO_ACTIVE_CODE, UNREADABLE -> {
                    // nothing was active to count against, or the fault is the keys', not the caller's
                }
            }
        }
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(PasswordChanged event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        authenticationMethods = authenticationMethods.withPassword();
        passwordHash = event.encodedHash();
        if (passwordCode != null) {
            // a reset code is good for one change of the password, by whatever means it was made
            passwordCode = passwordCode.asUsed();
        }
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(PasswordHashUpdated event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        passwordHash = event.encodedHash();
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(PasswordCheckFailed event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(PasswordCodeAdded event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        passwordCode = new IssuedPasswordCode(
                event.code(),
                InviteCodePolicy.expiresAt(StoredTimestamps.asStored(timestamp), event.expiry()),
                sequence + 1,
                event.codeReturned(),
                false,
                0,
                false,
                false);
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(PasswordCodeSent event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        if (passwordCode != null) {
            passwordCode = passwordCode.asSent();
        }
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(PasswordCodeCheckFailed event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        if (passwordCode != null) {
            switch (event.reason()) {
                case WRONG_CODE -> passwordCode = passwordCode.withFailure();
                case EXPIRED -> passwordCode = passwordCode.asEnded();
                case NO_ACTIVE_CODE, USED, UNREADABLE -> {
                    // nothing was active to count against, or the fault is the keys', not the caller's
                }
            }
        }
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(PasskeyAdded event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        authenticationMethods = authenticationMethods.withPasskey(event.webAuthNTokenId());
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(PasskeyRemoved event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        authenticationMethods = authenticationMethods.withoutPasskey(event.webAuthNTokenId());
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(IdpLinkAdded event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        authenticationMethods = authenticationMethods.withIdpLink(
                new AuthenticationMethods.IdpLink(event.idpConfigId(), event.externalUserId()));
        track(sequence, timestamp);
    }

    @EventSourcingHandler
    void on(IdpLinkRemoved event, @SequenceNumber long sequence, @Timestamp Instant timestamp) {
        authenticationMethods = authenticationMethods.withoutIdpLink(
                new AuthenticationMethods.IdpLink(event.idpConfigId(), event.externalUserId()));
        track(sequence, timestamp);
    }
}
