package dev.admit.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.store.StoredEventRows;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.junit.jupiter.api.Test;

/** A position moved in place ends where Axon's token, advanced event by event, ends. */
class GapAwarePositionTest {

    @Test
    void random_runs_of_events_end_in_the_token_axon_computes_event_by_event() {
        SplittableRandom random = new SplittableRandom(20261126);
        for (int run = 0; run < 400; run++) {
            GapAwareTrackingToken start = random.nextInt(4) == 0 ? null : randomToken(random);
            GapAwareTrackingToken axon = start;
            GapAwarePosition position = new GapAwarePosition(start);
            long next = start == null ? random.nextLong(0, 30) : start.getIndex() + 1;
            List<Long> openGaps = start == null ? List.of() : List.copyOf(start.getGaps());
            int length = random.nextInt(1, 40);
            for (int event = 0; event < length; event++) {
                long index;
                if (!openGaps.isEmpty() && random.nextInt(5) == 0) {
                    // a late event fills one of the start's gaps, if the token still has it
                    index = openGaps.get(random.nextInt(openGaps.size()));
                    if (!axonHasGap(axon, index)) {
                        continue;
                    }
                } else {
                    // mostly the next index, sometimes a jump over a gap, now and then a jump past the gap offset
                    // (Axon copies every gap at every step, so the far jumps, which leave 10,000 gaps, are rationed)
                    int kind = run % 10 == 0 ? random.nextInt(20) : 1 + random.nextInt(19);
                    long jump = kind == 0 ? random.nextLong(10_000, 12_000) : kind < 5 ? random.nextLong(2, 8) : 1;
                    index = next + jump - 1;
                    next = index + 1;
                }
                boolean allowGaps = random.nextInt(6) != 0;
                axon = StoredEventRows.advance(axon, index, allowGaps);
                position.advance(index, allowGaps);
            }
            GapAwareTrackingToken token = position.token();
            if (axon == null) {
                assertThat(token).as("run %d", run).isNull();
            } else {
                // compared outright: a token's equals() skips gaps below its truncation point
                assertThat(token.getIndex()).as("run %d", run).isEqualTo(axon.getIndex());
                assertThat(new TreeSet<>(token.getGaps())).as("run %d", run).isEqualTo(new TreeSet<>(axon.getGaps()));
            }
        }
    }

    @Test
    void a_position_that_never_moved_from_the_start_has_no_token() {
        assertThat(new GapAwarePosition(null).token()).isNull();
    }

    @Test
    void an_index_behind_the_position_that_is_no_gap_is_refused_as_axon_refuses_it() {
        GapAwarePosition position = new GapAwarePosition(GapAwareTrackingToken.newInstance(10, List.of(7L)));
        position.advance(7, true);
        assertThatThrownBy(() -> position.advance(7, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> position.advance(9, true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(position.token()).isEqualTo(GapAwareTrackingToken.newInstance(10, List.of()));
    }

    private static boolean axonHasGap(GapAwareTrackingToken token, long index) {
        return token != null && token.getGaps().contains(index);
    }

    private static GapAwareTrackingToken randomToken(SplittableRandom random) {
        long index = random.nextLong(20, 50_000);
        List<Long> gaps = random.longs(random.nextInt(0, 6), Math.max(0, index - 9_000), index)
                .distinct()
                .boxed()
                .toList();
        return GapAwareTrackingToken.newInstance(index, gaps);
    }
}
