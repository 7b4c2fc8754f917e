package dev.admit.projection;

import dev.admit.store.StoredEventRows;
import java.util.TreeSet;
import org.axonframework.eventhandling.GapAwareTrackingToken;

/**
 * A reader's position moved through a run of stored events in place, ending in the token that {@link
 * StoredEventRows#advance} would give after the same events one by one (Axon's {@link
 * GapAwareTrackingToken#advanceTo}, which copies its gaps into a new token at every step). For a reader that only
 * needs the token at the end of a chunk.
 */
final class GapAwarePosition {

    private final TreeSet<Long> gaps = new TreeSet<>();
    private long index;
    private boolean started;

    /** @param after the token to move on from; null for the start of the table */
    GapAwarePosition(GapAwareTrackingToken after) {
        if (after != null) {
            index = after.getIndex();
            gaps.addAll(after.getGaps());
            started = true;
        }
    }

    /**
     * Moves past the event at {@code eventIndex}; skipped indexes become gaps, kept while {@code allowGaps} (the
     * event is younger than the gap timeout) and no further than Axon's gap offset below the newest index.
     */
    void advance(long eventIndex, boolean allowGaps) {
        if (!started) {
            GapAwareTrackingToken first = StoredEventRows.advance(null, eventIndex, allowGaps);
            gaps.addAll(first.getGaps());
            index = first.getIndex();
            started = true;
            return;
        }
        if (eventIndex == index + 1 && gaps.isEmpty()) {
            // the usual case, the next index with no gaps behind: nothing to keep or drop
            index = eventIndex;
            return;
        }
        int offset = allowGaps ? StoredEventRows.MAX_GAP_OFFSET : 0;
        long smallestKept = Math.min(eventIndex, Math.max(eventIndex, index) - offset);
        gaps.headSet(smallestKept).clear();
        if (gaps.remove(eventIndex)) {
            return;
        }
        if (eventIndex <= index) {
            throw new IllegalArgumentException(
                    "index " + eventIndex + " is neither past the position " + index + " nor one of its gaps");
        }
        for (long gap = Math.max(index + 1, smallestKept); gap < eventIndex; gap++) {
            gaps.add(gap);
        }
        index = eventIndex;
    }

    /** The position as a token; null if it never moved from the start of the table. */
    GapAwareTrackingToken token() {
        return started ? GapAwareTrackingToken.newInstance(index, gaps) : null;
    }
}
