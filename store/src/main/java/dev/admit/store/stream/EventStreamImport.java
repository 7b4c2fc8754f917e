package dev.admit.store.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.admit.domain.error.InvalidValueException;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.UserEvent;
import dev.admit.domain.serialization.EventTypes;
import dev.admit.domain.user.UserId;
import dev.admit.store.AdmitTables;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads events in the NDJSON of {@link EventStreamExport} into the store. Each line is checked before anything of its
 * batch is written: a JSON object with every field, a user stream, a known type at its current revision, a payload
 * that deserializes into that type (and names the stream's user), a timestamp in RFC 3339 to the millisecond, and a
 * sequence that follows the stream's last stored or imported event; a stream begins with the user's addition, and
 * only there. A line whose stream already holds that very
 * event is skipped, so importing a file twice changes nothing; a line that differs from the stored event at its
 * position is refused. A batch is one transaction with its username claims; a refused line stops the import, and
 * the batches before it stay stored.
 *
 * <p>The imported events keep their stream, sequence, timestamp, payload and metadata, and get the next global
 * indexes of this store; tracking processors pick them up like any other append.
 */
public final class EventStreamImport {

    /** Lines validated and written in one transaction. */
    static final int BATCH_LINES = 1_000;

    /**
     * A finished import.
     *
     * @param lines lines read
     * @param imported events stored
     * @param alreadyStored lines skipped because their stream held that very event already
     */
    public record Outcome(long lines, long imported, long alreadyStored) {}

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final TransactionManager transactions;
    private final ObjectMapper json = new ObjectMapper();
    private final AnnotationRevisionResolver revisions = new AnnotationRevisionResolver();
    private final String lastSequences;
    private final String storedAt;
    private final String insert;
    private final String claim;
    private final String claimant;

    public EventStreamImport(
            JdbcTemplate jdbc, AdmitTables tables, Serializer eventSerializer, TransactionManager transactions) {
        this.jdbc = jdbc;
        this.serializer = eventSerializer;
        this.transactions = transactions;
        this.lastSequences = tables.sql("SELECT aggregate_identifier, max(sequence_number) FROM {domain_event_entry} "
                + "WHERE aggregate_identifier = ANY (?) GROUP BY aggregate_identifier");
        this.storedAt = tables.sql("SELECT type, payload_type, payload_revision, time_stamp, payload, meta_data "
                + "FROM {domain_event_entry} WHERE aggregate_identifier = ? AND sequence_number = ?");
        this.insert = tables.sql("INSERT INTO {domain_event_entry} (event_identifier, meta_data, payload, "
                + "payload_revision, payload_type, time_stamp, aggregate_identifier, sequence_number, type) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.claim = tables.sql("INSERT INTO {username_claim} (org_id, username, user_id) VALUES (?, ?, ?) "
                + "ON CONFLICT DO NOTHING");
        this.claimant = tables.sql("SELECT user_id FROM {username_claim} WHERE org_id = ? AND username = ?");
    }

    /**
     * Imports every line of {@code in}.
     *
     * @param progress told the number of lines done after every batch
     * @throws RefusedLineException for the first line that cannot be stored; the batches before it are stored
     */
    public Outcome readFrom(InputStream in, LongConsumer progress) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        long lineNumber = 0;
        long imported = 0;
        long skipped = 0;
        List<Line> batch = new ArrayList<>(BATCH_LINES);
        String text;
        while (true) {
            text = reader.readLine();
            if (text != null) {
                lineNumber++;
                if (!text.isBlank()) {
                    batch.add(parse(lineNumber, text));
                }
            }
            if (batch.size() == BATCH_LINES || (text == null && !batch.isEmpty())) {
                long stored = store(batch);
                imported += stored;
                skipped += batch.size() - stored;
                batch.clear();
                progress.accept(lineNumber);
            }
            if (text == null) {
                return new Outcome(lineNumber, imported, skipped);
            }
        }
    }

    /** One checked line, ready to store. */
    private record Line(
            long number,
            String aggregateId,
            long sequence,
            String type,
            String revision,
            Instant timestamp,
            JsonNode payload,
            JsonNode metadata,
            Object event) {}

    private Line parse(long number, String text) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new RefusedLineException(number, "not JSON");
        }
        if (!(node instanceof ObjectNode line)) {
            throw new RefusedLineException(number, "not a JSON object");
        }
        String aggregateType = text(number, line, ExportedEvent.AGGREGATE_TYPE);
        if (!EventTypes.USER_AGGREGATE_TYPE.equals(aggregateType)) {
            throw new RefusedLineException(number, "aggregateType '" + aggregateType + "' is not a stream Admit keeps");
        }
        String aggregateId = text(number, line, ExportedEvent.AGGREGATE_ID);
        try {
            new UserId(aggregateId);
        } catch (InvalidValueException e) {
            throw new RefusedLineException(number, "aggregateId is not a valid user id");
        }
        JsonNode sequenceNode = line.get(ExportedEvent.SEQUENCE);
        if (sequenceNode == null || !sequenceNode.canConvertToExactIntegral() || sequenceNode.asLong() < 1) {
            throw new RefusedLineException(number, "sequence must be a whole number from 1");
        }
        String type = text(number, line, ExportedEvent.TYPE);
        Class<? extends UserEvent> eventClass = EventTypes.classOf(type)
                .orElseThrow(() -> new RefusedLineException(number, "unknown event type '" + type + "'"));
        long sequence = sequenceNode.asLong();
        if (eventClass == HumanUserAdded.class && sequence != 1) {
            throw new RefusedLineException(number, type + " begins a stream; it cannot come at sequence " + sequence);
        }
        if (eventClass != HumanUserAdded.class && sequence == 1) {
            throw new RefusedLineException(
                    number,
                    "a user stream begins with "
                            + EventTypes.nameOf(HumanUserAdded.class).orElseThrow() + ", not " + type);
        }
        JsonNode revisionNode = line.get(ExportedEvent.REVISION);
        String revision = revisionNode == null || revisionNode.isNull() ? null : revisionNode.asText();
        String current = revisions.revisionOf(eventClass);
        if (!Objects.equals(revision, current)) {
            throw new RefusedLineException(
                    number, "revision " + revision + " of " + type + " is not the current one (" + current + ")");
        }
        Instant timestamp = timestamp(number, text(number, line, ExportedEvent.TIMESTAMP));
        JsonNode payload = line.get(ExportedEvent.PAYLOAD);
        if (payload == null || !payload.isObject()) {
            throw new RefusedLineException(number, "payload must be a JSON object");
        }
        JsonNode metadata = line.get(ExportedEvent.METADATA);
        if (metadata == null || metadata.isNull()) {
            metadata = json.createObjectNode();
        } else if (!metadata.isObject()) {
            throw new RefusedLineException(number, "metadata must be a JSON object");
        }
        Object event;
        try {
            event = serializer.deserialize(
                    new SimpleSerializedObject<>(json.writeValueAsBytes(payload), byte[].class, type, revision));
        } catch (RuntimeException | JsonProcessingException e) {
            throw new RefusedLineException(number, "payload is not a valid " + type);
        }
        if (event == null) {
            throw new RefusedLineException(number, "payload is not a valid " + type);
        }
        if (event instanceof HumanUserAdded added
                && !aggregateId.equals(added.userId().value())) {
            throw new RefusedLineException(number, "payload's userId is not the stream's aggregateId");
        }
        return new Line(
                number, aggregateId, sequenceNode.asLong(), type, revision, timestamp, payload, metadata, event);
    }

    private static String text(long number, ObjectNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new RefusedLineException(number, field + " must be a non-empty string");
        }
        return value.asText();
    }

    private static Instant timestamp(long number, String text) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new RefusedLineException(number, "timestamp is not an RFC 3339 date-time");
        }
        if (instant.getNano() % 1_000_000 != 0) {
            throw new RefusedLineException(number, "timestamp is finer than the store's milliseconds");
        }
        return instant;
    }

    /** Checks the batch against the store and writes it in one transaction; returns the events stored. */
    private long store(List<Line> batch) {
        return transactions.fetchInTransaction(() -> {
            Map<String, Long> next = nextSequences(batch);
            long stored = 0;
            List<Line> toStore = new ArrayList<>(batch.size());
            for (Line line : batch) {
                long expected = next.get(line.aggregateId());
                if (line.sequence() < expected) {
                    requireSameAsStored(line);
                    continue;
                }
                if (line.sequence() > expected) {
                    throw new RefusedLineException(
                            line.number(),
                            "sequence " + line.sequence() + " of stream " + line.aggregateId()
                                    + " does not follow its last event (" + (expected - 1) + ")");
                }
                next.put(line.aggregateId(), expected + 1);
                toStore.add(line);
            }
            for (Line line : toStore) {
                write(line);
                stored++;
            }
            return stored;
        });
    }

    /** The next 1-based sequence of each stream the batch names, as the store holds it now. */
    private Map<String, Long> nextSequences(List<Line> batch) {
        String[] streams = batch.stream().map(Line::aggregateId).distinct().toArray(String[]::new);
        Map<String, Long> next = new HashMap<>();
        for (String stream : streams) {
            next.put(stream, 1L);
        }
        jdbc.query(
                connection -> {
                    var statement = connection.prepareStatement(lastSequences);
                    statement.setArray(1, connection.createArrayOf("text", streams));
                    return statement;
                },
                rs -> {
                    next.put(rs.getString(1), rs.getLong(2) + 2);
                });
        return next;
    }

    private void requireSameAsStored(Line line) {
        List<Boolean> same = jdbc.query(
                storedAt,
                (rs, row) -> EventTypes.USER_AGGREGATE_TYPE.equals(rs.getString(1))
                        && line.type().equals(rs.getString(2))
                        && Objects.equals(line.revision(), rs.getString(3))
                        && line.timestamp().equals(DateTimeUtils.parseInstant(rs.getString(4)))
                        && line.payload().equals(tree(rs.getBytes(5)))
                        && line.metadata().equals(metadataTree(rs.getBytes(6))),
                line.aggregateId(),
                line.sequence() - 1);
        if (same.isEmpty() || !same.get(0)) {
            throw new RefusedLineException(
                    line.number(),
                    "stream " + line.aggregateId() + " already holds a different event at sequence " + line.sequence());
        }
    }

    private void write(Line line) {
        if (line.event() instanceof HumanUserAdded added) {
            claimUsername(line, added);
        }
        try {
            jdbc.update(
                    insert,
                    IdentifierFactory.getInstance().generateIdentifier(),
                    bytes(line.metadata()),
                    bytes(line.payload()),
                    line.revision(),
                    line.type(),
                    DateTimeUtils.formatInstant(line.timestamp()),
                    line.aggregateId(),
                    line.sequence() - 1,
                    EventTypes.USER_AGGREGATE_TYPE);
        } catch (DuplicateKeyException e) {
            throw new RefusedLineException(
                    line.number(), "stream " + line.aggregateId() + " was written to while importing; import again");
        }
    }

    private void claimUsername(Line line, HumanUserAdded added) {
        String username = added.username().toLowerCase(Locale.ROOT);
        String org = added.orgId().value();
        jdbc.update(claim, org, username, added.userId().value());
        String holder = jdbc.queryForObject(claimant, String.class, org, username);
        if (!added.userId().value().equals(holder)) {
            throw new RefusedLineException(
                    line.number(), "username '" + added.username() + "' is taken in organization " + org);
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private JsonNode tree(byte[] stored) {
        try {
            return json.readTree(stored);
        } catch (IOException e) {
            return json.nullNode();
        }
    }

    private JsonNode metadataTree(byte[] stored) {
        return stored == null || stored.length == 0 ? json.createObjectNode() : tree(stored);
    }
}
