package dev.admit.store;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;

/**
 * Where Admit's tables live: one PostgreSQL schema of their own ({@value #DEFAULT_SCHEMA} unless configured), so a
 * host's own tables, Axon's included, and its own Flyway history stay untouched beside them. Every statement Admit
 * runs names its tables through {@link #sql(String)}; nothing relies on the connection's search path.
 *
 * @param schema a lower-case PostgreSQL identifier
 */
public record AdmitTables(String schema) {

    public static final String DEFAULT_SCHEMA = "admit";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern TABLE_REFERENCE = Pattern.compile("\\{([a-z_]+)}");

    public AdmitTables {
        if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("Admit's schema must be a lower-case PostgreSQL identifier "
                    + "(letters, digits and underscores, at most 63), not '" + schema + "'");
        }
    }

    public static AdmitTables inDefaultSchema() {
        return new AdmitTables(DEFAULT_SCHEMA);
    }

    /** The table's name qualified with Admit's schema. */
    public String table(String name) {
        return schema + "." + name;
    }

    /** The statement with every {@code {table}} reference replaced by the qualified table name. */
    public String sql(String statement) {
        Matcher references = TABLE_REFERENCE.matcher(statement);
        return references.replaceAll(reference -> Matcher.quoteReplacement(table(reference.group(1))));
    }

    public EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable(table("domain_event_entry"))
                .snapshotTable(table("snapshot_event_entry"))
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    public TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable(table("token_entry"))
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }
}
