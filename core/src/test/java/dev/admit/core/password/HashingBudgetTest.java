package dev.admit.core.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HashingBudgetTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final AtomicLong cpu = new AtomicLong();

    /** A quarter of two processors: half a CPU-second per second, at most five CPU-seconds saved up. */
    private final HashingBudget budget = new HashingBudget(0.25, 2, clock::get, cpu::get);

    private void hashTaking(long cpuMs) throws Exception {
        budget.spend(() -> cpu.addAndGet(cpuMs * MS));
    }

    @Test
    void a_burst_up_to_the_saved_up_budget_starts_at_once() throws Exception {
        for (int hash = 0; hash <= 10; hash++) {
            assertThat(budget.waitNanos()).as("hash %d", hash).isZero();
            hashTaking(500);
        }
        assertThat(budget.waitNanos()).isPositive();
    }

    @Test
    void once_in_debt_the_next_hash_waits_until_the_share_has_paid_it_back() throws Exception {
        hashTaking(5100);

        // 100 ms of CPU owed at half a CPU-second per second: 200 ms
        assertThat(budget.waitNanos()).isBetween(200 * MS, 200 * MS + 2);
        clock.addAndGet(150 * MS);
        assertThat(budget.waitNanos()).isBetween(50 * MS, 50 * MS + 2);
        clock.addAndGet(50 * MS);
        assertThat(budget.waitNanos()).isZero();
    }

    @Test
    void a_hash_that_finds_the_budget_in_debt_starts_only_after_the_wait() throws Exception {
        HashingBudget onTheRealClock = new HashingBudget(0.25, 2, System::nanoTime, cpu::get);
        onTheRealClock.charge(5000 * MS + 20 * MS);

        long started = System.nanoTime();
        onTheRealClock.spend(() -> cpu.addAndGet(MS));

        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(39 * MS);
    }

    @Test
    void hashes_already_waiting_add_their_typical_charge_to_a_newcomers_wait() throws Exception {
        for (int hash = 0; hash < 50; hash++) {
            hashTaking(100);
        }

        assertThat(budget.waitNanosBehind(0)).isZero();
        // two hashes ahead at 100 ms each, paid back at half a CPU-second per second
        assertThat(budget.waitNanosBehind(2)).isBetween(400 * MS, 400 * MS + 2);
    }

    @Test
    void an_idle_pool_saves_up_no_more_than_ten_seconds_of_its_share() throws Exception {
        clock.addAndGet(TimeUnit.HOURS.toNanos(1));

        hashTaking(5100);
        assertThat(budget.waitNanos()).isBetween(200 * MS, 200 * MS + 2);
    }

    @Test
    void a_hash_is_charged_what_its_thread_spent_even_when_it_fails() {
        assertThatThrownBy(() -> budget.spend(() -> {
                    cpu.addAndGet(5200 * MS);
                    throw new IllegalStateException("boom");
                }))
                .hasMessage("boom");

        assertThat(budget.waitNanos()).isBetween(400 * MS, 400 * MS + 2);
    }

    @Test
    void a_share_is_above_nothing_and_at_most_the_whole_machine() {
        assertThatThrownBy(() -> new HashingBudget(0, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HashingBudget(1.5, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HashingBudget(Double.NaN, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
