package dev.admit.store.stream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.admit.domain.serialization.StoredTimestamps;
import dev.admit.store.AdmitTables;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.axonframework.common.DateTimeUtils;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes stored events as NDJSON in global order: {@code globalIndex}, {@code aggregateType}, {@code aggregateId},
 * {@code sequence} (1-based), {@code type} (the stable stored name), {@code revision}, {@code timestamp} (RFC 3339,
 * UTC, milliseconds), {@code payload} and {@code metadata} (the stored JSON, as objects). It reads the table in
 * pages by global index, so no transaction stays open while the output is written.
 */
public final class EventStreamExport {

    /**
     * Which events: those after a global index, of one stream or all.
     *
     * @param afterGlobalIndex only events with a higher global index; 0 for all
     */
    public record Selection(long afterGlobalIndex, Optional<String> aggregateId) {

        public Selection {
            if (afterGlobalIndex < 0) {
                throw new IllegalArgumentException("a global index is 0 or more");
            }
        }

        public static Selection all() {
            return new Selection(0, Optional.empty());
        }
    }

    private static final int PAGE = 5_000;

    private final JdbcTemplate jdbc;
    private final String page;
    private final String pageOfStream;
    private final String count;
    private final String countOfStream;
    private final ObjectMapper json = new ObjectMapper();

    public EventStreamExport(JdbcTemplate jdbc, AdmitTables tables) {
        this.jdbc = jdbc;
        String select = "SELECT global_index, type, aggregate_identifier, sequence_number, payload_type, "
                + "payload_revision, time_stamp, payload, meta_data FROM {domain_event_entry} WHERE global_index > ? ";
        this.page = tables.sql(select + "ORDER BY global_index LIMIT ?");
        this.pageOfStream = tables.sql(select + "AND aggregate_identifier = ? ORDER BY global_index LIMIT ?");
        this.count = tables.sql("SELECT count(*) FROM {domain_event_entry} WHERE global_index > ?");
        this.countOfStream = tables.sql(
                "SELECT count(*) FROM {domain_event_entry} WHERE global_index > ? AND aggregate_identifier = ?");
    }

    /** How many events the selection holds now: the total a progress display counts towards. */
    public long count(Selection selection) {
        Long counted = selection.aggregateId().isPresent()
                ? jdbc.queryForObject(
                        countOfStream,
                        Long.class,
                        selection.afterGlobalIndex(),
                        selection.aggregateId().get())
                : jdbc.queryForObject(count, Long.class, selection.afterGlobalIndex());
        return counted == null ? 0 : counted;
    }

    /**
     * Writes the selected events, one line each, and returns how many; events appended while it runs are included
     * until it reaches the end.
     *
     * @param progress told the number written so far after every page
     */
    public long writeTo(OutputStream out, Selection selection, LongConsumer progress) throws IOException {
        long written = 0;
        long after = selection.afterGlobalIndex();
        try (JsonGenerator generator = json.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            generator.setRootValueSeparator(null);
            while (true) {
                List<Object[]> rows = page(after, selection.aggregateId());
                if (rows.isEmpty()) {
                    break;
                }
                for (Object[] row : rows) {
                    writeLine(generator, row);
                    after = (Long) row[0];
                }
                generator.flush();
                written += rows.size();
                progress.accept(written);
            }
        }
        return written;
    }

    private List<Object[]> page(long after, Optional<String> aggregateId) {
        List<Object[]> rows = new ArrayList<>(PAGE);
        org.springframework.jdbc.core.RowCallbackHandler each = rs -> rows.add(new Object[] {
            rs.getLong(1),
            rs.getString(2),
            rs.getString(3),
            rs.getLong(4),
            rs.getString(5),
            rs.getString(6),
            rs.getString(7),
            rs.getBytes(8),
            rs.getBytes(9)
        });
        if (aggregateId.isPresent()) {
            jdbc.query(pageOfStream, each, after, aggregateId.get(), PAGE);
        } else {
            jdbc.query(page, each, after, PAGE);
        }
        return rows;
    }

    private void writeLine(JsonGenerator out, Object[] row) throws IOException {
        out.writeStartObject();
        out.writeNumberField(ExportedEvent.GLOBAL_INDEX, (Long) row[0]);
        out.writeStringField(ExportedEvent.AGGREGATE_TYPE, (String) row[1]);
        out.writeStringField(ExportedEvent.AGGREGATE_ID, (String) row[2]);
        out.writeNumberField(ExportedEvent.SEQUENCE, (Long) row[3] + 1);
        out.writeStringField(ExportedEvent.TYPE, (String) row[4]);
        out.writeStringField(ExportedEvent.REVISION, (String) row[5]);
        out.writeStringField(
                ExportedEvent.TIMESTAMP, DateTimeUtils.formatInstant(StoredTimestamps.parse((String) row[6])));
        out.writeFieldName(ExportedEvent.PAYLOAD);
        out.writeTree(tree((byte[]) row[7]));
        out.writeFieldName(ExportedEvent.METADATA);
        byte[] metadata = (byte[]) row[8];
        out.writeTree(metadata == null || metadata.length == 0 ? json.createObjectNode() : tree(metadata));
        out.writeEndObject();
        out.writeRaw('\n');
    }

    private JsonNode tree(byte[] stored) {
        try {
            return json.readTree(stored);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored event's JSON could not be read", e);
        }
    }
}
