package dev.admit.service.bench;

import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.InviteCodeVerified;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.serialization.SerializedObject;

/**
 * The ceiling: the verify-shaped transaction in plain JDBC, no framework. Read the user's events, append the two
 * success events at the next positions, move the user's row — in one transaction. Its events get the service's own
 * (time-ordered) identifiers, so both sides write the event-identifier index the same way.
 */
final class RawVerify implements LoadRunner.Call<Seeder.Invited> {

    private final DataSource dataSource;
    private final SerializedObject<byte[]> verified;
    private final SerializedObject<byte[]> emailVerified;
    private final byte[] metaData;

    RawVerify(DataSource dataSource, Seeder seeder) {
        this.dataSource = dataSource;
        this.verified = seeder.serialized(new InviteCodeVerified());
        this.emailVerified = seeder.serialized(new EmailVerified());
        this.metaData = seeder.emptyMetaData();
    }

    @Override
    public void run(Seeder.Invited user) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            long next = 0;
            try (PreparedStatement read = connection.prepareStatement(
                    "SELECT sequence_number, payload_type, payload FROM admit.domain_event_entry "
                            + "WHERE aggregate_identifier = ? ORDER BY sequence_number")) {
                read.setString(1, user.userId());
                try (ResultSet events = read.executeQuery()) {
                    while (events.next()) {
                        next = events.getLong(1) + 1;
                        events.getBytes(3);
                    }
                }
            }
            Instant now = Instant.now();
            try (PreparedStatement append = connection.prepareStatement(
                    "INSERT INTO admit.domain_event_entry (event_identifier, meta_data, payload, payload_revision, "
                            + "payload_type, time_stamp, aggregate_identifier, sequence_number, type) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'user')")) {
                add(append, verified, user.userId(), next, now);
                add(append, emailVerified, user.userId(), next + 1, now);
                append.executeBatch();
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE admit.users SET email_verified = TRUE, sequence = ?, change_date = ? WHERE user_id = ? AND sequence < ?")) {
                update.setLong(1, next + 2);
                update.setTimestamp(2, Timestamp.from(now));
                update.setString(3, user.userId());
                update.setLong(4, next + 2);
                update.executeUpdate();
            }
            connection.commit();
        }
    }

    private void add(PreparedStatement append, SerializedObject<byte[]> event, String user, long sequence, Instant at)
            throws SQLException {
        append.setString(1, IdentifierFactory.getInstance().generateIdentifier());
        append.setBytes(2, metaData);
        append.setBytes(3, event.getData());
        append.setString(4, event.getType().getRevision());
        append.setString(5, event.getType().getName());
        append.setString(6, DateTimeUtils.formatInstant(at));
        append.setString(7, user);
        append.setLong(8, sequence);
        append.addBatch();
    }
}
