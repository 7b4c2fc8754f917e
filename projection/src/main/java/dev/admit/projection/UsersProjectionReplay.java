package dev.admit.projection;

import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.UserEvent;
import dev.admit.store.AdmitTables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rebuilds the users projection from the event store.
 *
 * <p>The reset is Axon's: with the processor stopped, its tokens are reset to the start of the store and the
 * projector's reset handler empties the table. The replay itself does not push every event through the processor a
 * batch at a time: it streams the store in order, folds each chunk of events into one insert per new user and one
 * update per touched user ({@link UserRows.Changes}, the projector's own fold), and writes each chunk together with
 * the processor's advanced tokens in one transaction, reading the next chunk while the previous one is written.
 * When the stream ends, the processor starts again from the last chunk's tokens, gaps included, and carries on
 * with whatever was written meanwhile.
 *
 * <p>It is safe to interrupt at any point: restarted, the processor goes on replaying from the last written chunk,
 * and rows apply each event at most once, so nothing is applied twice or skipped. Reads stay correct throughout,
 * because {@link UserQueries} brings a user's row up to date on read.
 *
 * <p>As with any reset, the processor must be stopped on every other instance first.
 */
public class UsersProjectionReplay {

    private static final Logger log = LoggerFactory.getLogger(UsersProjectionReplay.class);

    /** Events folded into one transaction; large enough to amortize the round trips, small enough to stay cheap. */
    static final int CHUNK_EVENTS = 20_000;

    /** Writers side by side; each owns a share of the users, so a user's changes stay in order. */
    static final int WRITERS = 2;

    /** Chunks between two moves of the tokens: how much a rebuild interrupted by a crash does again. */
    static final int TOKENS_EVERY = 5;

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final EventTableReader reader;
    private final TokenStore tokenStore;
    private final TransactionManager transactions;
    private final UserRows rows;
    private final UserStreamCatchUp catchUp;
    private final JdbcTemplate jdbc;
    private final AdmitTables tables;
    private final int initialSegments;

    /** @param initialSegments the processor's segment count, for a store whose processor never started */
    public UsersProjectionReplay(
            EventProcessingConfiguration processing,
            EventStore eventStore,
            AdmitTables tables,
            Serializer eventSerializer,
            EventUpcaster upcasters,
            Duration gapTimeout,
            TokenStore tokenStore,
            TransactionManager transactions,
            UserRows rows,
            JdbcTemplate jdbc,
            int initialSegments) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.reader = new EventTableReader(jdbc, tables.eventSchema(), eventSerializer, upcasters, gapTimeout);
        this.tokenStore = tokenStore;
        this.transactions = transactions;
        this.rows = rows;
        this.catchUp = new UserStreamCatchUp(rows, eventStore::readEvents);
        this.jdbc = jdbc;
        this.tables = tables;
        this.initialSegments = initialSegments;
    }

    /**
     * Rebuilds the table from every stored event and returns when the store as it was has been applied; the
     * processor is running again by then and applies what was written since.
     *
     * @return the number of events applied
     */
    public long rebuild() {
        StreamingEventProcessor processor = processor();
        String name = processor.getName();
        processor.shutDown();
        try {
            transactions.executeInTransaction(() -> {
                if (tokenStore.fetchSegments(name).length == 0) {
                    tokenStore.initializeTokenSegments(name, initialSegments);
                }
            });
            processor.resetTokens();
            Map<Integer, TrackingToken> afterReset = transactions.fetchInTransaction(() -> {
                Map<Integer, TrackingToken> tokens = new TreeMap<>();
                for (int segment : tokenStore.fetchSegments(name)) {
                    tokens.put(segment, tokenStore.fetchToken(name, segment));
                }
                return tokens;
            });
            long applied = applyStore(name, afterReset);
            transactions.executeInTransaction(() -> afterReset.keySet().forEach(s -> tokenStore.releaseClaim(name, s)));
            return applied;
        } finally {
            processor.start();
        }
    }

    /**
     * A segment's token once the replay has applied everything up to {@code position}: still a replay token while
     * the position is short of where the segment stood at the reset, the plain position once it covers that.
     */
    private static TrackingToken advanced(TrackingToken afterReset, TrackingToken position) {
        if (afterReset instanceof ReplayToken replay
                && replay.getTokenAtReset() != null
                && (position == null || !position.covers(replay.getTokenAtReset()))) {
            return ReplayToken.createReplayToken(replay, position);
        }
        return position;
    }

    /**
     * Streams the store on this thread and hands each folded chunk to the writers, split by user, while reading the
     * next one.
     */
    private long applyStore(String processorName, Map<Integer, TrackingToken> afterReset) {
        long started = System.nanoTime();
        long applied = 0;
        ChunkWriters writers = new ChunkWriters(processorName, afterReset);
        Prefetch prefetch = new Prefetch();
        try {
            for (long chunk = 0; ; chunk++) {
                EventTableReader.Chunk fetched = prefetch.next();
                if (fetched.isEmpty()) {
                    break;
                }
                UserRows.Changes[] parts = new UserRows.Changes[WRITERS];
                for (int i = 0; i < WRITERS; i++) {
                    parts[i] = new UserRows.Changes();
                }
                for (EventTableReader.StoredEvent event : reader.events(fetched.rows())) {
                    if (!UserEvent.class.isAssignableFrom(event.payloadType())) {
                        continue;
                    }
                    String userId = event.aggregateIdentifier();
                    UserRows.Changes part = parts[Math.floorMod(userId.hashCode(), WRITERS)];
                    long sequence = event.sequenceNumber() + 1;
                    if (event.payload() instanceof UserEvent userEvent) {
                        part.add(userId, sequence, event.timestamp(), userEvent);
                    } else {
                        part.touch(userId, sequence, event.timestamp(), event.payloadType() == EmailVerified.class);
                    }
                    applied++;
                }
                writers.submit(chunk, parts, fetched.end());
            }
            writers.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the rebuild of the users projection was interrupted", e);
        } finally {
            prefetch.stop();
            writers.stop();
        }
        log.info(
                "Rebuilt the users projection: {} events in {} ms ({} writers, busy {} ms in all)",
                applied,
                (System.nanoTime() - started) / 1_000_000,
                WRITERS,
                writers.busyNanos.get() / 1_000_000);
        return applied;
    }

    /** Fetches the next chunk of the store while the current one is folded. */
    private final class Prefetch {

        private final BlockingQueue<Object> fetched = new ArrayBlockingQueue<>(2);
        private final Thread thread = new Thread(this::fetchAll, "admit-users-rebuild-reader");

        Prefetch() {
            thread.setDaemon(true);
            thread.start();
        }

        private void fetchAll() {
            try {
                GapAwareTrackingToken after = null;
                while (true) {
                    EventTableReader.Chunk chunk;
                    try {
                        chunk = reader.fetch(after, CHUNK_EVENTS);
                    } catch (RuntimeException e) {
                        fetched.put(e);
                        return;
                    }
                    fetched.put(chunk);
                    if (chunk.isEmpty()) {
                        return;
                    }
                    after = chunk.end();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        EventTableReader.Chunk next() throws InterruptedException {
            Object next = fetched.take();
            if (next instanceof RuntimeException failure) {
                throw failure;
            }
            return (EventTableReader.Chunk) next;
        }

        void stop() {
            thread.interrupt();
        }
    }

    /**
     * Writers that each own the users whose id hashes to them, so every user's changes are written in stream order
     * while the writers work side by side. Each chunk's part is its own transaction; once every writer has written
     * a chunk, the segments' tokens move to its end. A crash between the two only means events get applied again
     * after the restart, which changes nothing.
     */
    private final class ChunkWriters {

        private final String processorName;
        private final Map<Integer, TrackingToken> afterReset;
        private final List<BlockingQueue<Part>> queues = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final Map<Long, TrackingToken> chunkTokens = new ConcurrentHashMap<>();
        private final long[] written = new long[WRITERS];
        private long tokensAt = -1;
        private long lastChunk = -1;
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        final AtomicLong busyNanos = new AtomicLong();

        private record Part(long chunk, UserRows.Changes changes) {}

        private static final Part END = new Part(-1, new UserRows.Changes());

        ChunkWriters(String processorName, Map<Integer, TrackingToken> afterReset) {
            this.processorName = processorName;
            this.afterReset = afterReset;
            java.util.Arrays.fill(written, -1);
            for (int i = 0; i < WRITERS; i++) {
                int writer = i;
                BlockingQueue<Part> queue = new ArrayBlockingQueue<>(4);
                queues.add(queue);
                Thread thread = new Thread(() -> write(writer, queue), "admit-users-rebuild-writer-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        void submit(long chunk, UserRows.Changes[] parts, TrackingToken token) throws InterruptedException {
            chunkTokens.put(chunk, token);
            lastChunk = chunk;
            for (int i = 0; i < WRITERS; i++) {
                hand(i, new Part(chunk, parts[i]));
            }
        }

        void finish() throws InterruptedException {
            for (int i = 0; i < WRITERS; i++) {
                hand(i, END);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            if (lastChunk > tokensAt) {
                storeTokens(lastChunk);
            }
        }

        void stop() {
            threads.forEach(Thread::interrupt);
        }

        private void hand(int writer, Part part) throws InterruptedException {
            while (!queues.get(writer).offer(part, 100, TimeUnit.MILLISECONDS)) {
                if (failure.get() != null) {
                    throw failure.get();
                }
            }
            if (failure.get() != null) {
                throw failure.get();
            }
        }

        private void write(int writer, BlockingQueue<Part> queue) {
            try {
                while (true) {
                    Part part = queue.take();
                    if (part == END) {
                        return;
                    }
                    long started = System.nanoTime();
                    transactions.executeInTransaction(() -> catchUp.catchUp(rows.applyAll(part.changes())));
                    written(writer, part.chunk());
                    busyNanos.addAndGet(System.nanoTime() - started);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }

        private synchronized void written(int writer, long chunk) {
            written[writer] = chunk;
            long everywhere = java.util.Arrays.stream(written).min().orElse(-1);
            if (everywhere - tokensAt >= TOKENS_EVERY) {
                storeTokens(everywhere);
            }
        }

        /** Moves the segments' tokens to the end of {@code chunk}, which every writer has written. */
        private synchronized void storeTokens(long chunk) {
            long everywhere = chunk;
            TrackingToken position = chunkTokens.get(everywhere);
            transactions.executeInTransaction(() -> afterReset.forEach(
                    (segment, token) -> tokenStore.storeToken(advanced(token, position), processorName, segment)));
            chunkTokens.keySet().removeIf(c -> c <= everywhere);
            tokensAt = everywhere;
        }
    }

    /** Whether the projection reflects every event stored when this was called. */
    public boolean isCaughtUp() {
        long head = position(eventStore.createHeadToken());
        StreamingEventProcessor processor = processor();
        var statuses = processor.processingStatus().values();
        if (head < 0) {
            return true;
        }
        return !statuses.isEmpty()
                && statuses.stream()
                        .allMatch(status -> status.getCurrentPosition().orElse(-1L) >= head)
                && !processor.isReplaying()
                && statuses.stream().noneMatch(status -> hasLateEvent(status.getTrackingToken()));
    }

    /** Waits until the processor has caught up with the store as it is now. */
    public void awaitCaughtUp(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isCaughtUp()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the users projection did not catch up within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Whether an event the token passed over as a gap (its transaction was still open then) has since been stored:
     * the processor has not applied it yet, although its position is beyond it.
     */
    private boolean hasLateEvent(TrackingToken token) {
        if (token == null) {
            return false;
        }
        return WrappedToken.unwrap(token, GapAwareTrackingToken.class)
                .map(gapAware -> {
                    SortedSet<Long> gaps = gapAware.getGaps();
                    if (gaps.isEmpty()) {
                        return false;
                    }
                    Long stored = jdbc.queryForObject(
                            tables.sql("SELECT count(*) FROM {domain_event_entry} WHERE global_index = ANY (?)"),
                            Long.class,
                            (Object) gaps.toArray(new Long[0]));
                    return stored != null && stored > 0;
                })
                .orElse(false);
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1L);
    }

    private StreamingEventProcessor processor() {
        return processing
                .eventProcessor(UsersProjector.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no streaming processor for the users projection"));
    }
}
