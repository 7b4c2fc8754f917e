package dev.admit.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The stretches of the global index that a tracking reader moved past without reading an event there. Axon's gap
 * rules drop a gap once its neighbours are older than the gap timeout or it falls further behind than the gap
 * offset; a transaction that was still open then can commit an event into it afterwards, which no tracking reader
 * will ever deliver. Recording the stretches lets a read model look for such late events and repair itself. Each
 * stretch also records the first transaction id not yet handed out when it was passed: a transaction that can still
 * fill it has a lower one, so once none of those runs, one more look settles the stretch for good.
 */
public final class PassedGaps {

    /** A stretch of indexes, both ends included. */
    public record Stretch(long from, long to) {

        public Stretch {
            if (from > to) {
                throw new IllegalArgumentException("a stretch runs from its lower index to its higher one");
            }
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String insert;
    private final String forget;
    private final String forgetSettled;

    public PassedGaps(JdbcTemplate jdbc, AdmitTables tables, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.insert = tables.sql("INSERT INTO {passed_gaps} (from_index, to_index, passed_at, open_below) "
                + "SELECT s.*, txid_snapshot_xmax(txid_current_snapshot()) "
                + "FROM unnest(?::bigint[], ?::bigint[], ?::timestamptz[]) s ON CONFLICT (from_index) DO UPDATE "
                + "SET to_index = greatest({passed_gaps}.to_index, excluded.to_index), "
                + "open_below = greatest({passed_gaps}.open_below, excluded.open_below)");
        this.forget = tables.sql("DELETE FROM {passed_gaps} WHERE passed_at < ?");
        this.forgetSettled = tables.sql("DELETE FROM {passed_gaps} WHERE open_below <= ?");
    }

    /**
     * The indexes a reader passed between two positions without reading them: the gaps it had at {@code
     * previousIndex} and the indexes after it up to {@code index}, less the gaps it still keeps and the indexes it
     * read. Empty in the common case, where the reader read every index in order and keeps no gap.
     *
     * @param previousGaps the gaps of the position before the read
     * @param previousIndex the highest index of the position before the read
     * @param gaps the gaps of the position after the read
     * @param index the highest index after the read
     * @param read the indexes read, in any order
     */
    public static List<Stretch> passedBetween(
            Collection<Long> previousGaps, long previousIndex, Collection<Long> gaps, long index, long[] read) {
        boolean inOrder = previousGaps.isEmpty() && gaps.isEmpty() && read.length == index - previousIndex;
        if (inOrder) {
            return List.of();
        }
        NavigableSet<Long> covered = new TreeSet<>(gaps);
        for (long each : read) {
            covered.add(each);
        }
        NavigableSet<Long> passed = new TreeSet<>();
        for (long gap : previousGaps) {
            if (!covered.contains(gap)) {
                passed.add(gap);
            }
        }
        List<Stretch> stretches = new ArrayList<>();
        long next = previousIndex + 1;
        for (long taken : covered.subSet(previousIndex, false, index, true)) {
            if (taken > next) {
                stretches.add(new Stretch(next, taken - 1));
            }
            next = taken + 1;
        }
        if (index >= next) {
            stretches.add(new Stretch(next, index));
        }
        passed.forEach(gap -> stretches.add(new Stretch(gap, gap)));
        stretches.sort((a, b) -> Long.compare(a.from(), b.from()));
        return stretches;
    }

    /** Records the stretches; a stretch already recorded from the same index keeps the longer end. */
    public void record(List<Stretch> stretches) {
        if (stretches.isEmpty()) {
            return;
        }
        Long[] from = new Long[stretches.size()];
        Long[] to = new Long[stretches.size()];
        Timestamp[] at = new Timestamp[stretches.size()];
        Timestamp now = Timestamp.from(clock.instant());
        for (int i = 0; i < from.length; i++) {
            from[i] = stretches.get(i).from();
            to[i] = stretches.get(i).to();
            at[i] = now;
        }
        jdbc.update(connection -> {
            var statement = connection.prepareStatement(insert);
            statement.setArray(1, connection.createArrayOf("bigint", from));
            statement.setArray(2, connection.createArrayOf("bigint", to));
            statement.setArray(3, connection.createArrayOf("timestamptz", at));
            return statement;
        });
    }

    /**
     * The lowest id of a transaction still running anywhere in the database cluster (the next id to be handed out if
     * none is): every transaction below it has ended, committed or not. Taken before a look at the stretches, it says
     * which of them that look settles for good (see {@link #forgetSettled}).
     */
    public long oldestRunningTransaction() {
        Long oldest = jdbc.queryForObject("SELECT txid_snapshot_xmin(txid_current_snapshot())", Long.class);
        return oldest == null ? 0 : oldest;
    }

    /**
     * Forgets the stretches no running transaction can commit into any more: those recorded while only transactions
     * below {@code oldestRunning} could hold one of their indexes. Called after a look at the stretches that began
     * once {@code oldestRunning} was taken, which therefore saw whatever those transactions committed there.
     */
    public int forgetSettled(long oldestRunning) {
        return jdbc.update(forgetSettled, oldestRunning);
    }

    /** Forgets the stretches passed before {@code horizon}: a transaction open that long is not waited for. */
    public int forgetBefore(Instant horizon) {
        return jdbc.update(forget, Timestamp.from(horizon));
    }
}
