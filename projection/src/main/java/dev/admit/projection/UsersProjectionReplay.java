package dev.admit.projection;

import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.UserEvent;
import dev.admit.store.AdmitTables;
import dev.admit.store.PassedGaps;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
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
 * Rebuilds the users projection from the event store, blue/green: it writes a shadow table while reads, lists
 * included, and the running projection keep using the live one, then swaps the shadow in.
 *
 * <p>The build streams the store in order, folds each chunk of events into one insert per new user and one update per
 * touched user ({@link UserRows.Changes}, the projector's own fold), and writes the chunk's share of users on each of
 * two writers, reading the next chunk meanwhile. The newest new users' rows are held back in memory for later chunks,
 * so a user whose next events follow within that many newer users is written once, not inserted and then updated.
 * After every chunk it records how far everything is written, so a rebuild that was killed carries on from there
 * when started again. Indexes it passed without an event (a transaction still open) are
 * recorded as {@link PassedGaps}, which the late-event sweep watches after the swap.
 *
 * <p>The swap is one short transaction: it locks the live table, applies to the shadow whatever was written since,
 * replaces the live table with it (same name, same index names), and sets the processor's tokens to the position the
 * shadow reflects, releasing every claim, so a node whose processor was running picks up from there. Only the catch-up
 * of that transaction waits on the live table's lock. Then the local processor runs again and the call returns once it
 * has caught up.
 *
 * <p>One rebuild at a time: a session-level advisory lock, held on a connection of its own for the whole run, refuses
 * a second one on any node, and goes with the connection if the process dies.
 */
public class UsersProjectionReplay {

    private static final Logger log = LoggerFactory.getLogger(UsersProjectionReplay.class);

    /** Events folded into one transaction; large enough to amortize the round trips, small enough to stay cheap. */
    static final int CHUNK_EVENTS = 20_000;

    /** Writers side by side; each owns a share of the users, so a user's changes stay in order. */
    static final int WRITERS = 2;

    /** A held-back row's share of the heap, measured with ZITADEL-sized ids, names and addresses, rounded up. */
    private static final int HELD_ROW_BYTES = 700;

    /** Most rows held back whatever the heap: past that, few users' later events are still to come. */
    private static final int MOST_HELD_ROWS = 100_000;

    /** The shadow table a rebuild writes. */
    public static final String SHADOW = "users_rebuild";

    /** First key of the advisory lock that keeps rebuilds apart: "ADMI". */
    private static final int LOCK_CLASS = 0x41444d49;

    private static final Duration CAUGHT_UP_AFTER_SWAP = Duration.ofSeconds(60);

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final EventTableReader reader;
    private final TokenStore tokenStore;
    private final TransactionManager transactions;
    private final UserRows shadowRows;
    private final int heldRows;
    private final UserStreamCatchUp shadowCatchUp;
    private final PassedGaps passedGaps;
    private final JdbcTemplate jdbc;
    private final AdmitTables tables;
    private final int initialSegments;
    private final Clock clock;

    /**
     * @param initialSegments the processor's segment count, for a store whose processor never started
     * @param heldRows new users' rows the build keeps in memory before writing them, so that their users' later
     *     events fold into the one write
     */
    public UsersProjectionReplay(
            EventProcessingConfiguration processing,
            EventStore eventStore,
            AdmitTables tables,
            Serializer eventSerializer,
            EventUpcaster upcasters,
            Duration gapTimeout,
            TokenStore tokenStore,
            TransactionManager transactions,
            JdbcTemplate jdbc,
            int initialSegments,
            PassedGaps passedGaps,
            Clock clock,
            int heldRows) {
        this(
                processing,
                eventStore,
                tables,
                eventSerializer,
                upcasters,
                gapTimeout,
                tokenStore,
                transactions,
                jdbc,
                initialSegments,
                passedGaps,
                clock,
                heldRows,
                new UserRows(jdbc, tables, SHADOW));
    }

    /** @param shadowRows the rows of the shadow table, {@value #SHADOW} */
    public UsersProjectionReplay(
            EventProcessingConfiguration processing,
            EventStore eventStore,
            AdmitTables tables,
            Serializer eventSerializer,
            EventUpcaster upcasters,
            Duration gapTimeout,
            TokenStore tokenStore,
            TransactionManager transactions,
            JdbcTemplate jdbc,
            int initialSegments,
            PassedGaps passedGaps,
            Clock clock,
            int heldRows,
            UserRows shadowRows) {
        if (heldRows < 0) {
            throw new IllegalArgumentException("the rows a rebuild holds back cannot be fewer than none");
        }
        this.heldRows = heldRows;
        this.processing = processing;
        this.eventStore = eventStore;
        this.reader = new EventTableReader(jdbc, tables.eventSchema(), eventSerializer, upcasters, gapTimeout);
        this.tokenStore = tokenStore;
        this.transactions = transactions;
        this.shadowRows = shadowRows;
        this.shadowCatchUp = new UserStreamCatchUp(shadowRows, eventStore::readEvents);
        this.passedGaps = passedGaps;
        this.jdbc = jdbc;
        this.tables = tables;
        this.initialSegments = initialSegments;
        this.clock = clock;
    }

    /**
     * Rebuilds the table from every stored event and returns once it is the live table and the projection has caught
     * up.
     *
     * @return the number of events applied
     * @throws RebuildAlreadyRunningException while another rebuild runs
     */
    public long rebuild() {
        return rebuild(progress -> {}).eventsApplied();
    }

    /**
     * Rebuilds the table from every stored event, telling {@code progress} after every chunk, and returns once the
     * rebuilt table is the live one and the projection has caught up. A run that was interrupted is carried on.
     *
     * @throws RebuildAlreadyRunningException while another rebuild runs
     */
    public RebuildResult rebuild(Consumer<RebuildProgress> progress) {
        long started = System.nanoTime();
        try (RebuildLock lock =
                RebuildLock.take(jdbc, LOCK_CLASS, tables.schema().hashCode())) {
            Start start = transactions.fetchInTransaction(this::startOrResume);
            long[] applied = {start.eventsApplied()};
            GapAwareTrackingToken built = build(start, applied, progress, started);
            indexShadow();
            progress.accept(new RebuildProgress(
                    RebuildProgress.Phase.SWAPPING,
                    applied[0],
                    position(built),
                    head(),
                    rate(applied[0] - start.eventsApplied(), started)));
            GapAwareTrackingToken swapped = swap(built, applied);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            progress.accept(new RebuildProgress(
                    RebuildProgress.Phase.DONE,
                    applied[0],
                    position(swapped),
                    position(swapped),
                    rate(applied[0] - start.eventsApplied(), started)));
            log.info(
                    "Rebuilt the users projection: {} events in {} ms{}",
                    applied[0],
                    took.toMillis(),
                    start.resumed() ? " (carried on from an interrupted run)" : "");
            return new RebuildResult(applied[0], position(swapped), start.resumed(), took);
        }
    }

    /**
     * The new users' rows a rebuild holds back by default in a heap of {@code maxHeapBytes}: as many as a tenth of
     * it holds, at most {@value #MOST_HELD_ROWS} (about 28,000 in the service's 192 MB).
     */
    public static int heldRowsFor(long maxHeapBytes) {
        return (int) Math.min(MOST_HELD_ROWS, maxHeapBytes / 10 / HELD_ROW_BYTES);
    }

    /** Whether a rebuild was interrupted and would carry on where it stopped. */
    public boolean isInterrupted() {
        return !jdbc.queryForList(tables.sql("SELECT events_applied FROM {users_rebuild_progress}"), Long.class)
                .isEmpty();
    }

    private record Start(GapAwareTrackingToken position, long eventsApplied, boolean resumed) {}

    /** The interrupted run's position if its shadow table is still there and shaped like the live one; else anew. */
    private Start startOrResume() {
        List<Start> saved = jdbc.query(
                tables.sql("SELECT position, gaps, events_applied FROM {users_rebuild_progress}"), (rs, row) -> {
                    long index = rs.getLong("position");
                    GapAwareTrackingToken position = rs.wasNull()
                            ? null
                            : GapAwareTrackingToken.newInstance(
                                    index, List.of((Long[]) rs.getArray("gaps").getArray()));
                    return new Start(position, rs.getLong("events_applied"), true);
                });
        if (!saved.isEmpty() && shadowMatchesLiveTable()) {
            return saved.get(0);
        }
        jdbc.execute(tables.sql("DROP TABLE IF EXISTS {users_rebuild}"));
        // without the live table's secondary indexes, which are built once the rows are in (see indexShadow)
        jdbc.execute(tables.sql("CREATE TABLE {users_rebuild} (LIKE {users} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                + "INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS)"
                + storageOfLiveTable()));
        jdbc.execute(tables.sql("ALTER TABLE {users_rebuild} ADD CONSTRAINT " + shadowName(UserRows.USERS + "_pkey")
                + " PRIMARY KEY (user_id)"));
        jdbc.update(tables.sql("DELETE FROM {users_rebuild_progress}"));
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update(
                tables.sql(
                        "INSERT INTO {users_rebuild_progress} (position, started_at, updated_at) VALUES (NULL, ?, ?)"),
                now,
                now);
        return new Start(null, 0, false);
    }

    /**
     * The live table's storage parameters (an operator's fill factor or autovacuum settings) as a {@code WITH}
     * clause, since {@code LIKE} does not copy them and the shadow becomes the live table.
     */
    private String storageOfLiveTable() {
        List<String> options = jdbc.queryForList("""
                SELECT unnest(c.reloptions) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relname = ?
                """, String.class, tables.schema(), UserRows.USERS);
        if (options.isEmpty()) {
            return "";
        }
        StringBuilder with = new StringBuilder(" WITH (");
        for (String option : options) {
            int equals = option.indexOf('=');
            if (with.length() > 7) {
                with.append(", ");
            }
            // a name as PostgreSQL stores it, and its value quoted as a literal
            with.append(option, 0, equals)
                    .append(" = '")
                    .append(option.substring(equals + 1).replace("'", "''"))
                    .append('\'');
        }
        return with.append(')').toString();
    }

    /** Whether the shadow table exists with the live table's columns, which a migration since may have changed. */
    private boolean shadowMatchesLiveTable() {
        String columns = tables.sql("""
                SELECT string_agg(column_name || ' ' || data_type, ',' ORDER BY ordinal_position)
                FROM information_schema.columns WHERE table_schema = ? AND table_name = ?
                """);
        String live = jdbc.queryForObject(columns, String.class, tables.schema(), UserRows.USERS);
        String shadow = jdbc.queryForObject(columns, String.class, tables.schema(), SHADOW);
        return shadow != null && shadow.equals(live);
    }

    /** Streams the store into the shadow table up to its current end; returns the position reached. */
    private GapAwareTrackingToken build(Start start, long[] applied, Consumer<RebuildProgress> progress, long started) {
        long appliedBefore = start.eventsApplied();
        // a run from the start fills an empty table: new rows go in by COPY; a resumed one may meet rows it wrote
        ChunkWriters writers = new ChunkWriters(!start.resumed());
        Prefetch prefetch = new Prefetch(start.position());
        GapAwareTrackingToken position = start.position();
        long head = head();
        try {
            for (long chunk = 0; ; chunk++) {
                EventTableReader.Chunk fetched = prefetch.next();
                if (fetched.isEmpty()) {
                    break;
                }
                applied[0] += fold(fetched, writers.parts());
                position = fetched.end();
                writers.submit(chunk, position, applied[0]);
                if (position(position) > head) {
                    head = head();
                }
                progress.accept(new RebuildProgress(
                        RebuildProgress.Phase.BUILDING,
                        applied[0],
                        position(position),
                        head,
                        rate(applied[0] - appliedBefore, started)));
            }
            writers.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the rebuild of the users projection was interrupted", e);
        } finally {
            prefetch.stop();
            writers.stop();
        }
        return position;
    }

    /** Folds a chunk's user events into {@code parts}, each user into the part its id hashes to. */
    private long fold(EventTableReader.Chunk fetched, UserRows.Changes[] parts) {
        long folded = 0;
        for (EventTableReader.StoredEvent event : reader.events(fetched.rows())) {
            if (!UserEvent.class.isAssignableFrom(event.payloadType())) {
                continue;
            }
            String userId = event.aggregateIdentifier();
            UserRows.Changes part = parts[Math.floorMod(userId.hashCode(), parts.length)];
            long sequence = event.sequenceNumber() + 1;
            if (event.payload() instanceof UserEvent userEvent) {
                part.add(userId, sequence, event.timestamp(), userEvent);
            } else {
                part.touch(userId, sequence, event.timestamp(), event.payloadType() == EmailVerified.class);
            }
            folded++;
        }
        return folded;
    }

    /**
     * Swaps the shadow table in, in one transaction with what was written since {@code built}, and points the
     * processor at the position the table then reflects; returns that position.
     */
    private GapAwareTrackingToken swap(GapAwareTrackingToken built, long[] applied) {
        Optional<StreamingEventProcessor> processor = processor();
        boolean running = processor.map(StreamingEventProcessor::isRunning).orElse(false);
        processor.ifPresent(StreamingEventProcessor::shutDown);
        String name = UsersProjector.PROCESSING_GROUP;
        GapAwareTrackingToken swapped;
        try {
            swapped = transactions.fetchInTransaction(() -> {
                jdbc.execute("SET LOCAL lock_timeout = '30s'");
                jdbc.execute(tables.sql("LOCK TABLE {users} IN ACCESS EXCLUSIVE MODE"));
                GapAwareTrackingToken position = built;
                while (true) {
                    EventTableReader.Chunk fetched = reader.fetch(position, CHUNK_EVENTS);
                    if (fetched.isEmpty()) {
                        break;
                    }
                    UserRows.Changes[] all = {new UserRows.Changes()};
                    applied[0] += fold(fetched, all);
                    shadowCatchUp.catchUp(shadowRows.applyAll(all[0]));
                    recordPassed(position, fetched);
                    position = fetched.end();
                }
                replaceLiveTable();
                pointProcessorAt(name, position);
                jdbc.update(tables.sql("DELETE FROM {users_rebuild_progress}"));
                return position;
            });
        } finally {
            if (running) {
                processor.get().start();
            }
        }
        if (running) {
            try {
                awaitCaughtUp(CAUGHT_UP_AFTER_SWAP);
            } catch (TimeoutException e) {
                log.warn("The users projection had not caught up {} after the rebuild's swap", CAUGHT_UP_AFTER_SWAP);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return swapped;
    }

    /**
     * Builds the live table's secondary indexes on the shadow, named by {@link #shadowName}: once over the loaded
     * rows rather than row by row during the load, and before the swap, so its lock does not wait for them.
     */
    private void indexShadow() {
        for (Map.Entry<String, String> index : secondaryIndexesOfLiveTable().entrySet()) {
            String definition = index.getValue();
            String live = "INDEX " + index.getKey() + " ON " + tables.table(UserRows.USERS) + " ";
            if (!definition.contains(live)) {
                throw new IllegalStateException("an index definition of the users table was not understood");
            }
            jdbc.execute(definition.replace(
                    live, "INDEX IF NOT EXISTS " + shadowName(index.getKey()) + " ON " + tables.table(SHADOW) + " "));
        }
    }

    /** The live table's indexes other than its primary key: name to definition. */
    private Map<String, String> secondaryIndexesOfLiveTable() {
        Map<String, String> indexes = new java.util.LinkedHashMap<>();
        jdbc.query(
                """
                SELECT i.relname, pg_get_indexdef(x.indexrelid)
                FROM pg_index x
                JOIN pg_class i ON i.oid = x.indexrelid
                JOIN pg_class t ON t.oid = x.indrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = ? AND t.relname = ? AND NOT x.indisprimary
                ORDER BY i.relname
                """,
                rs -> {
                    indexes.put(rs.getString(1), rs.getString(2));
                },
                tables.schema(),
                UserRows.USERS);
        return indexes;
    }

    /** The shadow table's name for an index of the live table, given back to it at the swap. */
    static String shadowName(String liveIndex) {
        String name = liveIndex.startsWith(UserRows.USERS)
                ? SHADOW + liveIndex.substring(UserRows.USERS.length())
                : SHADOW + "_" + liveIndex;
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /** Drops the live table and gives the shadow its name and its index and constraint names. */
    private void replaceLiveTable() {
        List<String> liveIndexes = jdbc.queryForList(
                "SELECT indexname FROM pg_indexes WHERE schemaname = ? AND tablename = ?",
                String.class,
                tables.schema(),
                UserRows.USERS);
        jdbc.execute(tables.sql("DROP TABLE {users}"));
        jdbc.execute(tables.sql("ALTER TABLE {users_rebuild} RENAME TO " + UserRows.USERS));
        for (String index : liveIndexes) {
            jdbc.execute("ALTER INDEX IF EXISTS " + tables.table(shadowName(index)) + " RENAME TO " + index);
        }
    }

    /** Sets every segment's token to {@code position} and releases every claim, this node's and others'. */
    private void pointProcessorAt(String name, GapAwareTrackingToken position) {
        int[] segments = tokenStore.fetchSegments(name);
        if (segments.length == 0) {
            tokenStore.initializeTokenSegments(name, initialSegments, position);
            return;
        }
        jdbc.update(tables.sql("UPDATE {token_entry} SET owner = NULL WHERE processor_name = ?"), name);
        for (int segment : segments) {
            tokenStore.storeToken(position, name, segment);
            tokenStore.releaseClaim(name, segment);
        }
    }

    private void recordPassed(GapAwareTrackingToken before, EventTableReader.Chunk fetched) {
        if (before == null) {
            return;
        }
        passedGaps.record(PassedGaps.passedBetween(
                before.getGaps(),
                before.getIndex(),
                fetched.end().getGaps(),
                fetched.end().getIndex(),
                fetched.indexes()));
    }

    private long head() {
        Long max = jdbc.queryForObject(tables.sql("SELECT max(global_index) FROM {domain_event_entry}"), Long.class);
        return max == null ? -1 : max;
    }

    private static double rate(long events, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        return seconds <= 0 ? 0 : events / seconds;
    }

    /**
     * Fetches the next chunk of the store while the current one is folded, and records the indexes it passed without
     * an event.
     */
    private final class Prefetch {

        private final BlockingQueue<Object> fetched = new ArrayBlockingQueue<>(2);
        private final Thread thread = new Thread(this::fetchAll, "admit-users-rebuild-reader");
        private final GapAwareTrackingToken from;

        Prefetch(GapAwareTrackingToken from) {
            this.from = from;
            thread.setDaemon(true);
            thread.start();
        }

        private void fetchAll() {
            try {
                GapAwareTrackingToken after = from;
                while (true) {
                    EventTableReader.Chunk chunk;
                    try {
                        chunk = reader.fetch(after, CHUNK_EVENTS);
                        if (!chunk.isEmpty()) {
                            recordPassed(after, chunk);
                        }
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
     * while the writers work side by side. Each chunk's part is its own transaction; once every writer has written a
     * chunk, the rebuild's progress moves to its end. A crash between the two only means events get applied again
     * when the rebuild carries on, which changes nothing: a row takes each event at most once.
     */
    private final class ChunkWriters {

        private final List<BlockingQueue<Part>> queues = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final Map<Long, Reached> reached = new ConcurrentHashMap<>();
        private final long[] written = new long[WRITERS];
        private final UserRows.Changes[] current = newParts(0);
        private long progressAt = -1;
        private long lastChunk = -1;
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

        /** A writer's share of a chunk; once written, everything up to the end of {@code doneTo} is in the shadow. */
        private record Part(long doneTo, UserRows.Changes changes) {}

        private record Reached(GapAwareTrackingToken position, long eventsApplied) {}

        private static final Part END = new Part(-1, new UserRows.Changes());

        private final boolean copyNewRows;

        ChunkWriters(boolean copyNewRows) {
            this.copyNewRows = copyNewRows;
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

        private static UserRows.Changes[] newParts(long chunk) {
            UserRows.Changes[] parts = new UserRows.Changes[WRITERS];
            for (int i = 0; i < WRITERS; i++) {
                parts[i] = new UserRows.Changes();
                parts[i].startBatch(chunk);
            }
            return parts;
        }

        /** The parts the next chunk is folded into. */
        UserRows.Changes[] parts() {
            return current;
        }

        /**
         * Hands the chunk's parts to the writers, keeping the newest new users' rows back for later chunks. A part
         * counts as done up to the chunk before the earliest one whose new rows are still held back.
         */
        void submit(long chunk, GapAwareTrackingToken position, long eventsApplied) throws InterruptedException {
            reached.put(chunk, new Reached(position, eventsApplied));
            lastChunk = chunk;
            for (int i = 0; i < WRITERS; i++) {
                UserRows.Changes part = current[i].takeAllButNewestRows(heldRows / WRITERS);
                current[i].startBatch(chunk + 1);
                long heldSince = current[i].oldestHeldBatch();
                hand(i, new Part(heldSince == Long.MAX_VALUE ? chunk : Math.min(chunk, heldSince - 1), part));
            }
        }

        /** Writes the rows still held back, and waits for the writers. */
        void finish() throws InterruptedException {
            for (int i = 0; i < WRITERS; i++) {
                if (lastChunk >= 0 && !current[i].isEmpty()) {
                    hand(i, new Part(lastChunk, current[i]));
                }
                hand(i, END);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            if (lastChunk > progressAt) {
                storeProgress(lastChunk);
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
                    transactions.executeInTransaction(() -> shadowCatchUp.catchUp(
                            copyNewRows
                                    ? shadowRows.applyAllCopyingNewRows(part.changes())
                                    : shadowRows.applyAll(part.changes())));
                    written(writer, part.doneTo());
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
            if (everywhere > progressAt) {
                storeProgress(everywhere);
            }
        }

        /** Records that every writer has written {@code chunk}: a rebuild started again carries on after it. */
        private synchronized void storeProgress(long chunk) {
            Reached at = reached.get(chunk);
            jdbc.update(connection -> {
                var update = connection.prepareStatement(
                        tables.sql(
                                "UPDATE {users_rebuild_progress} SET position = ?, gaps = ?, events_applied = ?, updated_at = ?"));
                update.setLong(1, at.position().getIndex());
                update.setArray(
                        2,
                        connection.createArrayOf(
                                "bigint", at.position().getGaps().toArray(new Long[0])));
                update.setLong(3, at.eventsApplied());
                update.setTimestamp(4, Timestamp.from(clock.instant()));
                return update;
            });
            reached.keySet().removeIf(c -> c <= chunk);
            progressAt = chunk;
        }
    }

    /** Whether the projection reflects every event stored when this was called. */
    public boolean isCaughtUp() {
        long head = position(eventStore.createHeadToken());
        Optional<StreamingEventProcessor> found = processor();
        if (found.isEmpty()) {
            return false;
        }
        StreamingEventProcessor processor = found.get();
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

    /** Waits until the processor has caught up with the store as it is now; false at once where it does not run. */
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

    /** The users processor, unless this node does not run it (a command-line run). */
    private Optional<StreamingEventProcessor> processor() {
        return processing.eventProcessor(UsersProjector.PROCESSING_GROUP, StreamingEventProcessor.class);
    }
}
