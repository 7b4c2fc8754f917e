package dev.admit.mail;

import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.PasswordCodeAdded;
import dev.admit.store.AdmitTables;
import java.sql.Timestamp;
import java.time.Clock;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Turns each mailed {@code invite.code.added} and {@code password.code.added} into one row of the mail outbox, in the transaction that appends the
 * event, so every mailed code gets exactly one row and no row outlives a rolled-back command. Returned codes get
 * none. It never runs during a replay: a rebuild of any read model sends no mail.
 *
 * <p>A plain {@link EventMessageHandler}, registered with the processing configuration: Axon's annotation adapter
 * walked the handler's annotations for every event the processor saw, to learn whether it allows replays.
 */
@ProcessingGroup(InviteMailRequests.PROCESSING_GROUP)
public class InviteMailRequests implements EventMessageHandler {

    public static final String PROCESSING_GROUP = "admit-invite-mails";

    private final JdbcTemplate jdbc;
    private final AdmitTables tables;
    private final Clock clock;
    private final Runnable wakeUp;

    public InviteMailRequests(JdbcTemplate jdbc, AdmitTables tables, Clock clock, Runnable wakeUp) {
        this.jdbc = jdbc;
        this.tables = tables;
        this.clock = clock;
        this.wakeUp = wakeUp;
    }

    @Override
    public boolean canHandle(EventMessage<?> event) {
        return event instanceof DomainEventMessage<?> && canHandleType(event.getPayloadType());
    }

    @Override
    public boolean canHandleType(Class<?> payloadType) {
        return payloadType == InviteCodeAdded.class || payloadType == PasswordCodeAdded.class;
    }

    /** A rebuild of any read model sends no mail. */
    @Override
    public boolean supportsReset() {
        return false;
    }

    @Override
    public Object handle(EventMessage<?> message) {
        if (message instanceof DomainEventMessage<?> event && mailed(event.getPayload())) {
            requestMail(event.getAggregateIdentifier(), event.getSequenceNumber());
        }
        return null;
    }

    private static boolean mailed(Object payload) {
        return (payload instanceof InviteCodeAdded invite && !invite.codeReturned())
                || (payload instanceof PasswordCodeAdded reset && !reset.codeReturned());
    }

    private void requestMail(String userId, long sequence) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update(tables.sql("""
                INSERT INTO {invite_mail_outbox} (user_id, code_sequence, state, next_attempt_at, created_at, updated_at)
                VALUES (?, ?, 'PENDING', ?, ?, ?)
                ON CONFLICT (user_id, code_sequence) DO NOTHING
                """), userId, sequence + 1, now, now, now);
        // the dispatcher can only see the row once the command's transaction has committed
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> wakeUp.run());
        } else {
            wakeUp.run();
        }
    }
}
