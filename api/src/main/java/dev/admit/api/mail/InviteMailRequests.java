package dev.admit.api.mail;

import dev.admit.domain.message.InviteCodeAdded;
import java.sql.Timestamp;
import java.time.Clock;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.annotation.SourceId;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Turns each mailed {@code invite.code.added} into one row of the mail outbox, in the transaction that appends the
 * event, so every mailed code gets exactly one row and no row outlives a rolled-back command. Returned codes get
 * none. It never runs during a replay: a rebuild of any read model sends no mail.
 */
@ProcessingGroup(InviteMailRequests.PROCESSING_GROUP)
public class InviteMailRequests {

    public static final String PROCESSING_GROUP = "admit-invite-mails";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Runnable wakeUp;

    public InviteMailRequests(JdbcTemplate jdbc, Clock clock, Runnable wakeUp) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.wakeUp = wakeUp;
    }

    @EventHandler
    @DisallowReplay
    public void on(InviteCodeAdded event, @SourceId String userId, @SequenceNumber long sequence) {
        if (event.codeReturned()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("""
                INSERT INTO invite_mail_outbox (user_id, code_sequence, state, next_attempt_at, created_at, updated_at)
                VALUES (?, ?, 'PENDING', ?, ?, ?)
                ON CONFLICT (user_id, code_sequence) DO NOTHING
                """, userId, sequence + 1, now, now, now);
        // the dispatcher can only see the row once the command's transaction has committed
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> wakeUp.run());
        } else {
            wakeUp.run();
        }
    }
}
