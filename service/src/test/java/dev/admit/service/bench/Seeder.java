package dev.admit.service.bench;

import dev.admit.domain.invite.InviteCodes;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.InviteCodeCheckFailed;
import dev.admit.domain.message.InviteCodeVerified;
import dev.admit.domain.serialization.EventSerialization;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

/**
 * Writes user streams straight into the event store, serialized exactly as the service stores them, so a benchmark
 * can start from a large store in seconds. The service's processors then see them like any other events.
 */
final class Seeder {

    /** A seeded user and its plain invite code. */
    record Invited(String userId, String code) {}

    private static final String INSERT = """
            INSERT INTO admit.domain_event_entry (event_identifier, meta_data, payload, payload_revision, payload_type,
                                            time_stamp, aggregate_identifier, sequence_number, type)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'user')
            """;

    private final DataSource dataSource;
    private final InviteCodes inviteCodes;
    private final Serializer serializer = EventSerialization.newEventSerializer();
    private final byte[] emptyMetaData;
    private final OrgId org = new OrgId("bench-org");
    private long next;
    private final String prefix;

    Seeder(DataSource dataSource, InviteCodes inviteCodes, String prefix) {
        this.dataSource = dataSource;
        this.inviteCodes = inviteCodes;
        this.prefix = prefix;
        this.emptyMetaData =
                serializer.serialize(MetaData.emptyInstance(), byte[].class).getData();
    }

    /** Users each with an open returned invite code: 2 events per user. */
    List<Invited> invitedUsers(int count) throws SQLException {
        List<Invited> invited = new ArrayList<>(count);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            connection.setAutoCommit(false);
            Instant now = Instant.now();
            for (int i = 0; i < count; i++) {
                UserId user = nextUser();
                InviteCodes.IssuedCode code = inviteCodes.issue(user);
                add(insert, user, 0, now, added(user));
                add(insert, user, 1, now, new InviteCodeAdded(code.sealed(), Duration.ofHours(72), null, null, true));
                invited.add(new Invited(user.value(), code.plain().reveal()));
                flushEvery(insert, connection, i);
            }
            insert.executeBatch();
            connection.commit();
        }
        return invited;
    }

    /** Users that went through a whole invitation: 5 events each (added, code, a failure, success, verified). */
    void completedUsers(int count) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            connection.setAutoCommit(false);
            Instant now = Instant.now();
            for (int i = 0; i < count; i++) {
                UserId user = nextUser();
                add(insert, user, 0, now, added(user));
                add(
                        insert,
                        user,
                        1,
                        now,
                        new InviteCodeAdded(inviteCodes.issue(user).sealed(), Duration.ofHours(72), null, null, true));
                add(insert, user, 2, now, new InviteCodeCheckFailed(InviteCodeCheckFailed.Reason.WRONG_CODE));
                add(insert, user, 3, now, new InviteCodeVerified());
                add(insert, user, 4, now, new EmailVerified());
                flushEvery(insert, connection, i);
            }
            insert.executeBatch();
            connection.commit();
        }
    }

    private UserId nextUser() {
        return new UserId(prefix + (next++));
    }

    private HumanUserAdded added(UserId user) {
        return new HumanUserAdded(
                user, org, user.value(), "Bench", "User", null, "en", user.value() + "@bench.example");
    }

    private void add(PreparedStatement insert, UserId user, long sequence, Instant at, Object event)
            throws SQLException {
        SerializedObject<byte[]> payload = serializer.serialize(event, byte[].class);
        insert.setString(1, IdentifierFactory.getInstance().generateIdentifier());
        insert.setBytes(2, emptyMetaData);
        insert.setBytes(3, payload.getData());
        insert.setString(4, payload.getType().getRevision());
        insert.setString(5, payload.getType().getName());
        insert.setString(6, DateTimeUtils.formatInstant(at));
        insert.setString(7, user.value());
        insert.setLong(8, sequence);
        insert.addBatch();
    }

    private static void flushEvery(PreparedStatement insert, Connection connection, int i) throws SQLException {
        if (i % 2_000 == 1_999) {
            insert.executeBatch();
            connection.commit();
        }
    }

    /** Pre-serialized payloads for the raw verify transaction. */
    SerializedObject<byte[]> serialized(Object event) {
        return serializer.serialize(event, byte[].class);
    }

    byte[] emptyMetaData() {
        return emptyMetaData;
    }
}
