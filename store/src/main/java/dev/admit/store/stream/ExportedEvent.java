package dev.admit.store.stream;

/** The fields of one NDJSON line, in the order they are written. */
final class ExportedEvent {

    static final String GLOBAL_INDEX = "globalIndex";
    static final String AGGREGATE_TYPE = "aggregateType";
    static final String AGGREGATE_ID = "aggregateId";
    static final String SEQUENCE = "sequence";
    static final String TYPE = "type";
    static final String REVISION = "revision";
    static final String TIMESTAMP = "timestamp";
    static final String PAYLOAD = "payload";
    static final String METADATA = "metadata";

    private ExportedEvent() {}
}
