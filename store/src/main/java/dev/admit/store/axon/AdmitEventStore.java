package dev.admit.store.axon;

import java.util.Optional;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's embedded event store, loading an aggregate without looking for its snapshot while its stream is shorter than
 * the snapshot threshold. Axon asks for the snapshot first on every load, a query per command that finds nothing
 * for almost every user: a snapshot is only taken once one load (with the command's new events) has met as many
 * events as the threshold. Reading the whole stream instead is always correct (a snapshot only saves reading the
 * events it sums up, which stay stored), and a stream that turns out to be as long as the threshold is loaded Axon's
 * way, snapshot first.
 *
 * <p>Replaces {@code EmbeddedEventStore#readEvents(String)}; checked on Axon 4.13.0.
 */
public class AdmitEventStore extends EmbeddedEventStore {

    private final AdmitEventStorageEngine engine;
    private final int snapshotThreshold;

    /**
     * @param builder the store's settings, given {@code engine} as its storage engine
     * @param snapshotThreshold the events a load meets before the aggregate is snapshotted
     */
    public AdmitEventStore(Builder builder, AdmitEventStorageEngine engine, int snapshotThreshold) {
        super(builder.storageEngine(engine));
        if (snapshotThreshold < 1) {
            throw new IllegalArgumentException("the snapshot threshold must be positive: " + snapshotThreshold);
        }
        this.engine = engine;
        this.snapshotThreshold = snapshotThreshold;
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier) {
        Optional<DomainEventStream> whole = engine.readStreamShorterThan(aggregateIdentifier, snapshotThreshold);
        if (whole.isEmpty()) {
            return super.readEvents(aggregateIdentifier);
        }
        return DomainEventStream.concat(
                whole.get(), DomainEventStream.of(stagedDomainEventMessages(aggregateIdentifier)));
    }
}
