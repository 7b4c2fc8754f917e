package dev.admit.store;

import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.message.HumanUserAdded;
import java.util.Locale;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps usernames unique within an organization. It handles {@code user.human.added} in a subscribing processor,
 * inside the transaction that appends the event: a clash on the claim table's key fails that transaction, so the
 * user is not created and the caller gets {@code ALREADY_EXISTS}. Usernames are compared without regard to case.
 *
 * <p>A plain {@link EventMessageHandler}, registered with the processing configuration: Axon's annotation adapter
 * walked the handler's annotations for every event the processor saw, to learn whether it allows replays.
 */
@ProcessingGroup(UsernameClaims.PROCESSING_GROUP)
public class UsernameClaims implements EventMessageHandler {

    public static final String PROCESSING_GROUP = "admit-username-claims";

    private final JdbcTemplate jdbc;
    private final AdmitTables tables;

    public UsernameClaims(JdbcTemplate jdbc, AdmitTables tables) {
        this.jdbc = jdbc;
        this.tables = tables;
    }

    @Override
    public boolean canHandle(EventMessage<?> event) {
        return canHandleType(event.getPayloadType());
    }

    @Override
    public boolean canHandleType(Class<?> payloadType) {
        return payloadType == HumanUserAdded.class;
    }

    @Override
    public Object handle(EventMessage<?> message) {
        if (message.getPayload() instanceof HumanUserAdded event) {
            claim(event);
        }
        return null;
    }

    private void claim(HumanUserAdded event) {
        try {
            jdbc.update(
                    tables.sql("INSERT INTO {username_claim} (org_id, username, user_id) VALUES (?, ?, ?)"),
                    event.orgId().value(),
                    event.username().toLowerCase(Locale.ROOT),
                    event.userId().value());
        } catch (DuplicateKeyException e) {
            throw ErrorCatalogue.USERNAME_TAKEN.exception();
        }
    }
}
