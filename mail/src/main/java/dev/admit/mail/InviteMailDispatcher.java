package dev.admit.mail;

import dev.admit.domain.crypto.EncryptedCode;
import dev.admit.domain.crypto.UndecryptableCodeException;
import dev.admit.domain.invite.InviteCode;
import dev.admit.domain.invite.InviteCodePolicy;
import dev.admit.domain.invite.InviteCodes;
import dev.admit.domain.invite.UrlTemplate;
import dev.admit.domain.message.ConfirmInviteCodeSentCommand;
import dev.admit.domain.message.ConfirmPasswordCodeSentCommand;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.InviteCodeCheckFailed;
import dev.admit.domain.message.InviteCodeSent;
import dev.admit.domain.message.InviteCodeVerified;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.PasswordCodeAdded;
import dev.admit.domain.message.PasswordCodeCheckFailed;
import dev.admit.domain.message.PasswordCodeSent;
import dev.admit.domain.user.UserId;
import dev.admit.store.AdmitTables;
import dev.admit.store.DatabaseOutage;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the mail outbox: invite mails and password reset mails, told apart by the event at the row's code
 * sequence ({@code invite.code.added} or {@code password.code.added}). A due row is leased (so other instances leave it alone while it is sent), checked
 * against the user's stream (a superseded, delivered, ended or expired code gets no mail), rendered with the code
 * opened from its event, handed to the transport, and recorded: {@code invite.code.sent} in the stream, SENT in
 * the outbox. A failure is retried with exponential back-off without holding up other users' mails; after the
 * last attempt the row stays FAILED for an operator to see and retry.
 */
public final class InviteMailDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InviteMailDispatcher.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final DateTimeFormatter EXPIRY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /**
     * How the dispatcher behaves; see {@code admit.mail.*}.
     *
     * @param defaultResetUrlTemplate the link of reset mails whose code names none ({@code
     *     admit.password.reset-url-template}); null: such mails carry no link
     */
    public record Settings(
            InternetAddress from,
            String defaultApplicationName,
            String defaultUrlTemplate,
            String defaultResetUrlTemplate,
            Duration pollInterval,
            Duration lease,
            Duration initialBackoff,
            Duration maxBackoff,
            int maxAttempts,
            Duration retention) {

        /** Without a default link for reset mails. */
        public Settings(
                InternetAddress from,
                String defaultApplicationName,
                String defaultUrlTemplate,
                Duration pollInterval,
                Duration lease,
                Duration initialBackoff,
                Duration maxBackoff,
                int maxAttempts,
                Duration retention) {
            this(
                    from,
                    defaultApplicationName,
                    defaultUrlTemplate,
                    null,
                    pollInterval,
                    lease,
                    initialBackoff,
                    maxBackoff,
                    maxAttempts,
                    retention);
        }
    }

    /** What a mailed code is for: the outbox holds both, told apart by the event at the row's code sequence. */
    enum Kind {
        INVITE,
        PASSWORD_RESET
    }

    /** A row this instance holds until {@code leasedUntil}: it may record an outcome only before then. */
    private record Due(String userId, long codeSequence, int attempts, Timestamp leasedUntil) {}

    /**
     * A code that still deserves its mail: what it is for, its sealed form, its link template and application name
     * (null: the configured defaults), and when it expires.
     */
    private record Mailable(
            Kind kind,
            EncryptedCode code,
            String urlTemplate,
            String applicationName,
            long codeSequence,
            Instant expiresAt) {}

    private final JdbcTemplate jdbc;
    private final AdmitTables tables;
    private final TransactionTemplate transactions;
    private final EventStore eventStore;
    private final InviteCodes inviteCodes;
    private final CommandGateway commands;
    private final MailTransport transport;
    private final MailTemplates templates;
    private final Clock clock;
    private final Settings settings;
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;
    private volatile boolean stopping;

    public InviteMailDispatcher(
            JdbcTemplate jdbc,
            AdmitTables tables,
            TransactionTemplate transactions,
            EventStore eventStore,
            InviteCodes inviteCodes,
            CommandGateway commands,
            MailTransport transport,
            MailTemplates templates,
            Clock clock,
            Settings settings) {
        this.jdbc = jdbc;
        this.tables = tables;
        this.transactions = transactions;
        this.eventStore = eventStore;
        this.inviteCodes = inviteCodes;
        this.commands = commands;
        this.transport = transport;
        this.templates = templates;
        this.clock = clock;
        this.settings = settings;
        if (settings.defaultUrlTemplate() != null) {
            UrlTemplate.parse(settings.defaultUrlTemplate());
        }
        if (settings.defaultResetUrlTemplate() != null) {
            UrlTemplate.parse(settings.defaultResetUrlTemplate());
        }
    }

    @Override
    public void start() {
        stopping = false;
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "admit-invite-mails");
            thread.setDaemon(true);
            return thread;
        });
        long period = settings.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::dispatchDueSafely, period, period, TimeUnit.MILLISECONDS);
        long purgeEvery = Math.max(
                1_000,
                Math.min(settings.retention().toMillis(), Duration.ofHours(1).toMillis()));
        executor.scheduleWithFixedDelay(this::purgeSafely, 0, purgeEvery, TimeUnit.MILLISECONDS);
    }

    /**
     * Deletes SENT and SKIPPED outbox rows, and the outbox directory's files, older than the retention. FAILED rows
     * stay for an operator. A deleted row is never sent again: the mail processor writes a code's row only once, in
     * the transaction that moves it past the code's event.
     *
     * @return the rows and files removed
     */
    public int purge() {
        Instant horizon = clock.instant().minus(settings.retention());
        int rows = jdbc.update(
                tables.sql("DELETE FROM {invite_mail_outbox} WHERE state IN ('SENT', 'SKIPPED') AND updated_at < ?"),
                Timestamp.from(horizon));
        int files = transport.forgetBefore(horizon);
        if (rows + files > 0) {
            log.info("Invite mails older than the retention removed: {} outbox row(s), {} file(s)", rows, files);
        }
        return rows + files;
    }

    private void purgeSafely() {
        try {
            purge();
        } catch (RuntimeException e) {
            if (!DatabaseOutage.report(e)) {
                log.warn("Invite mail clean-up failed: {}", e.getClass().getName());
            }
        }
    }

    /**
     * Lets a round in progress finish the mail it is on and lease no more; a round still held after {@link
     * #STOP_GRACE} (waiting for a database that is gone, say) is interrupted, so the host's shutdown does not wait out
     * a connection timeout. A row leased and not sent stays due and goes out once its lease has run out.
     */
    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        stopping = true;
        if (running != null) {
            running.shutdown();
            try {
                if (!running.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    running.shutdownNow();
                    running.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                running.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    /** Asks for a delivery round soon, e.g. right after a new row was written. */
    public void wakeUp() {
        ScheduledExecutorService running = executor;
        if (running != null && wakeUpPending.compareAndSet(false, true)) {
            running.schedule(
                    () -> {
                        wakeUpPending.set(false);
                        dispatchDueSafely();
                    },
                    100,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Delivers every row that is due now; returns how many rows it handled. */
    public int dispatchDue() {
        return dispatchDueWhile(() -> true);
    }

    private int dispatchDueWhile(BooleanSupplier goOn) {
        int handled = 0;
        Optional<Due> due;
        while (goOn.getAsBoolean() && (due = lease()).isPresent()) {
            handle(due.get());
            handled++;
        }
        return handled;
    }

    private void dispatchDueSafely() {
        try {
            if (dispatchDueWhile(() -> !stopping) > 0) {
                // a round with nothing due may not have asked the database at all
                DatabaseOutage.reached();
            }
        } catch (RuntimeException e) {
            if (stopping) {
                return;
            }
            if (!DatabaseOutage.report(e)) {
                log.warn("Invite mail round failed: {}", e.getClass().getName());
            }
        }
    }

    private Optional<Due> lease() {
        return transactions.execute(status -> {
            Timestamp now = Timestamp.from(clock.instant());
            // whole microseconds, as the column keeps them, so the lease can be recognised when recording
            Timestamp leasedUntil =
                    Timestamp.from(clock.instant().plus(settings.lease()).truncatedTo(ChronoUnit.MICROS));
            List<Due> rows = jdbc.query(
                    tables.sql("""
                    SELECT user_id, code_sequence, attempts FROM {invite_mail_outbox}
                    WHERE state = 'PENDING' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED
                    """),
                    (rs, i) -> new Due(rs.getString(1), rs.getLong(2), rs.getInt(3), leasedUntil),
                    now);
            rows.forEach(row -> jdbc.update(
                    tables.sql(
                            "UPDATE {invite_mail_outbox} SET next_attempt_at = ?, updated_at = ? WHERE user_id = ? AND code_sequence = ?"),
                    leasedUntil,
                    now,
                    row.userId(),
                    row.codeSequence()));
            return rows.stream().findFirst();
        });
    }

    private void handle(Due due) {
        UserId userId = new UserId(due.userId());
        try {
            Optional<Mailable> mailable = mailable(userId, due.codeSequence());
            Optional<HumanUserAdded> user = mailable.isEmpty() ? Optional.empty() : recipient(userId);
            if (mailable.isEmpty() || user.isEmpty()) {
                finish(due, "SKIPPED");
                return;
            }
            InviteCode code;
            try {
                InviteCodes codes =
                        mailable.get().kind() == Kind.PASSWORD_RESET ? inviteCodes.passwordResetCodes() : inviteCodes;
                code = codes.reveal(userId, mailable.get().code());
            } catch (UndecryptableCodeException unreadable) {
                // no retry can help: the key is an operator's to restore
                giveUp(
                        due,
                        "the key " + mailable.get().code().keyId()
                                + " that sealed this code is not configured (admit.crypto.keys)");
                return;
            }
            transport.deliver(compose(user.get(), mailable.get(), code), due.userId() + "-" + due.codeSequence());
            confirm(userId, mailable.get().kind(), due.codeSequence());
            finish(due, "SENT");
        } catch (Exception e) {
            retryLater(due, e);
        }
    }

    /** The code's event, if the code still deserves a mail: current, not yet delivered, not ended, not expired. */
    private Optional<Mailable> mailable(UserId userId, long codeSequence) {
        DomainEventStream events = eventStore.readEvents(userId.value(), codeSequence - 1);
        if (!events.hasNext()) {
            return Optional.empty();
        }
        DomainEventMessage<?> first = events.next();
        if (first.getSequenceNumber() != codeSequence - 1) {
            return Optional.empty();
        }
        if (first.getPayload() instanceof InviteCodeAdded added) {
            return mailableInvite(events, first, added, codeSequence);
        }
        if (first.getPayload() instanceof PasswordCodeAdded added && !added.codeReturned()) {
            return mailableReset(events, first, added, codeSequence);
        }
        return Optional.empty();
    }

    private Optional<Mailable> mailableInvite(
            DomainEventStream later, DomainEventMessage<?> first, InviteCodeAdded added, long codeSequence) {
        InviteCodePolicy policy = inviteCodes.policy();
        int failures = 0;
        while (later.hasNext()) {
            Object event = later.next().getPayload();
            if (event instanceof InviteCodeAdded
                    || event instanceof InviteCodeSent
                    || event instanceof InviteCodeVerified
                    || event instanceof EmailVerified) {
                return Optional.empty();
            }
            if (event instanceof InviteCodeCheckFailed failed) {
                if (failed.reason() == InviteCodeCheckFailed.Reason.EXPIRED) {
                    return Optional.empty();
                }
                if (failed.reason() == InviteCodeCheckFailed.Reason.WRONG_CODE && policy.exhaustedAfter(++failures)) {
                    return Optional.empty();
                }
            }
        }
        return unexpired(new Mailable(
                Kind.INVITE,
                added.code(),
                added.urlTemplate(),
                added.applicationName(),
                codeSequence,
                InviteCodePolicy.expiresAt(first.getTimestamp(), added.expiry())));
    }

    /** A reset code ends with a newer one, its delivery, a password change, its expiry or its last wrong attempt. */
    private Optional<Mailable> mailableReset(
            DomainEventStream later, DomainEventMessage<?> first, PasswordCodeAdded added, long codeSequence) {
        InviteCodePolicy policy = inviteCodes.passwordResetCodes().policy();
        int failures = 0;
        while (later.hasNext()) {
            Object event = later.next().getPayload();
            if (event instanceof PasswordCodeAdded
                    || event instanceof PasswordCodeSent
                    || event instanceof PasswordChanged) {
                return Optional.empty();
            }
            if (event instanceof PasswordCodeCheckFailed failed) {
                if (failed.reason() == PasswordCodeCheckFailed.Reason.EXPIRED) {
                    return Optional.empty();
                }
                if (failed.reason() == PasswordCodeCheckFailed.Reason.WRONG_CODE && policy.exhaustedAfter(++failures)) {
                    return Optional.empty();
                }
            }
        }
        return unexpired(new Mailable(
                Kind.PASSWORD_RESET,
                added.code(),
                added.urlTemplate(),
                null,
                codeSequence,
                InviteCodePolicy.expiresAt(first.getTimestamp(), added.expiry())));
    }

    private Optional<Mailable> unexpired(Mailable mailable) {
        return clock.instant().isBefore(mailable.expiresAt()) ? Optional.of(mailable) : Optional.empty();
    }

    /** Who the mail goes to, from the stream itself (names and address are fixed at creation). */
    private Optional<HumanUserAdded> recipient(UserId userId) {
        DomainEventStream events = eventStore.readEvents(userId.value(), 0);
        if (events.hasNext() && events.next().getPayload() instanceof HumanUserAdded added) {
            return Optional.of(added);
        }
        return Optional.empty();
    }

    private MimeMessage compose(HumanUserAdded user, Mailable mailable, InviteCode code) throws Exception {
        boolean reset = mailable.kind() == Kind.PASSWORD_RESET;
        String applicationName =
                mailable.applicationName() != null ? mailable.applicationName() : settings.defaultApplicationName();
        String urlTemplate = mailable.urlTemplate() != null
                ? mailable.urlTemplate()
                : reset ? settings.defaultResetUrlTemplate() : settings.defaultUrlTemplate();
        String link = urlTemplate == null
                ? ""
                : UrlTemplate.parse(urlTemplate).render(user.userId(), code.reveal(), user.orgId());
        String name = user.displayName() != null && !user.displayName().isBlank()
                ? user.displayName()
                : user.givenName() + " " + user.familyName();
        Map<String, String> values = Map.of(
                "name", name,
                "applicationName", applicationName,
                "code", code.reveal(),
                "link", link,
                "expiresAt", EXPIRY.format(mailable.expiresAt()));
        String domain = settings.from().getAddress().replaceFirst(".*@", "");
        MimeMessage message = transport.newMessage(
                reset
                        ? InviteMessage.resetMessageId(user.userId().value(), mailable.codeSequence(), domain)
                        : InviteMessage.messageId(user.userId().value(), mailable.codeSequence(), domain));
        MimeMessageHelper helper = new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name());
        helper.setFrom(settings.from());
        helper.setTo(new InternetAddress(user.email(), name, StandardCharsets.UTF_8.name()));
        helper.setSubject(templates
                .render(reset ? MailTemplates.RESET_SUBJECT : MailTemplates.SUBJECT, values, false)
                .strip());
        helper.setText(
                templates.render(reset ? MailTemplates.RESET_TEXT : MailTemplates.TEXT, values, false),
                templates.render(reset ? MailTemplates.RESET_HTML : MailTemplates.HTML, values, true));
        message.setSentDate(java.util.Date.from(clock.instant()));
        return message;
    }

    /** Records the delivery in the user's stream; a code superseded meanwhile simply stays unconfirmed. */
    private void confirm(UserId userId, Kind kind, long codeSequence) {
        try {
            commands.sendAndWait(
                    kind == Kind.PASSWORD_RESET
                            ? new ConfirmPasswordCodeSentCommand(userId, codeSequence)
                            : new ConfirmInviteCodeSentCommand(userId, codeSequence));
        } catch (RuntimeException e) {
            log.info(
                    "Mail for user {} (code #{}) sent; not recorded in the stream: {}",
                    userId,
                    codeSequence,
                    e.getClass().getName());
        }
    }

    private void finish(Due due, String state) {
        Timestamp now = Timestamp.from(clock.instant());
        int recorded = jdbc.update(
                tables.sql(
                        "UPDATE {invite_mail_outbox} SET state = ?, updated_at = ? WHERE user_id = ? AND code_sequence = ?"
                                + STILL_LEASED),
                state,
                now,
                due.userId(),
                due.codeSequence(),
                due.leasedUntil(),
                now);
        if (recorded == 0) {
            leaseRanOut(due);
        }
    }

    /** Only the holder of a lease that has not run out records an outcome: after it, another instance may own it. */
    private static final String STILL_LEASED = " AND state = 'PENDING' AND next_attempt_at = ? AND next_attempt_at > ?";

    /** Ends a mail FAILED at once, with a reason for the operator. */
    private void giveUp(Due due, String reason) {
        if (recordAttempt(due, "FAILED", due.attempts() + 1, clock.instant(), reason)) {
            log.warn("Invite mail for user {} (code #{}) is FAILED: {}", due.userId(), due.codeSequence(), reason);
        }
    }

    /** Records a failed attempt while the lease holds; answers whether it was recorded. */
    private boolean recordAttempt(Due due, String state, int attempts, Instant nextAttemptAt, String reason) {
        Timestamp now = Timestamp.from(clock.instant());
        int recorded = jdbc.update(
                tables.sql("""
                UPDATE {invite_mail_outbox} SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ?
                WHERE user_id = ? AND code_sequence = ?
                """ + STILL_LEASED),
                state,
                attempts,
                Timestamp.from(nextAttemptAt),
                reason,
                now,
                due.userId(),
                due.codeSequence(),
                due.leasedUntil(),
                now);
        if (recorded == 0) {
            leaseRanOut(due);
            return false;
        }
        return true;
    }

    private void leaseRanOut(Due due) {
        log.info(
                "Invite mail for user {} (code #{}): its lease ran out before its outcome was recorded; the next "
                        + "attempt may send it again under the same Message-ID",
                due.userId(),
                due.codeSequence());
    }

    private void retryLater(Due due, Exception failure) {
        int attempts = due.attempts() + 1;
        boolean giveUp = attempts >= settings.maxAttempts();
        Duration backoff = backoff(attempts);
        String reason = failure.getClass().getName()
                + (failure.getCause() != null
                        ? " <- " + failure.getCause().getClass().getName()
                        : "");
        if (!recordAttempt(
                due, giveUp ? "FAILED" : "PENDING", attempts, clock.instant().plus(backoff), reason)) {
            return;
        }
        if (giveUp) {
            log.warn(
                    "Invite mail for user {} (code #{}) failed {} times and is now FAILED: {}",
                    due.userId(),
                    due.codeSequence(),
                    attempts,
                    reason);
        } else {
            log.warn(
                    "Invite mail for user {} (code #{}) failed (attempt {}), next try in {}: {}",
                    due.userId(),
                    due.codeSequence(),
                    attempts,
                    backoff,
                    reason);
        }
    }

    Duration backoff(int attempts) {
        long factor = 1L << Math.min(attempts - 1, 20);
        Duration delay = settings.initialBackoff().multipliedBy(factor);
        return delay.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : delay;
    }

    /** Puts every FAILED mail back in line, for an operator after fixing the cause. Returns how many. */
    public int retryFailed() {
        Timestamp now = Timestamp.from(clock.instant());
        int count = jdbc.update(
                tables.sql(
                        "UPDATE {invite_mail_outbox} SET state = 'PENDING', attempts = 0, next_attempt_at = ?, updated_at = ? WHERE state = 'FAILED'"),
                now,
                now);
        wakeUp();
        return count;
    }
}
