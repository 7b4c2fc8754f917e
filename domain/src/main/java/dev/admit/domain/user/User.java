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
import dev.admit.domain.message.ConfirmInviteCodeSentCommand;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.IdpLinkAdded;
import dev.admit.domain.message.IdpLinkRemoved;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.InviteCodeCheckFailed;
import dev.admit.domain.message.InviteCodeCheckFailed.Reason;
import dev.admit.domain.message.InviteCodeSent;
import dev.admit.domain.message.InviteCodeVerified;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasskeyAdded;
import dev.admit.domain.message.PasskeyRemoved;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.ResendInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.message.WriteDetails;
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
 * A user and its invite code. Command handlers decide and apply events; event sourcing handlers only change state.
 *
 * <p>Every handler may create the aggregate ({@code CREATE_IF_MISSING}) so that a missing user is answered by the
 * domain with the error its command documents, not by the repository; a refused command applies nothing, so no
 * stream is created. Its fields are what a snapshot stores; bump the revision when they change.
 */
@AggregateRoot(type = "user")
@Revision("1")
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
        return new AddHumanUserResult(userId, details());
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
