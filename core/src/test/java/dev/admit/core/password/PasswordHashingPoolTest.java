package dev.admit.core.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.error.ErrorCategory;
import dev.admit.domain.password.PasswordHash;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PasswordHashingPoolTest {

    private final PasswordHashingPool pool = new PasswordHashingPool(1, 1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch running = new CountDownLatch(1);

    @AfterEach
    void releaseAndClose() {
        release.countDown();
        pool.close();
    }

    /** Occupies the pool's only thread, then its one queue place. */
    private void fill() throws InterruptedException {
        CompletableFuture.runAsync(() -> pool.call(() -> {
            running.countDown();
            return release.await(30, TimeUnit.SECONDS);
        }));
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture.runAsync(() -> pool.call(() -> true));
        // the second call is queued once the pool reports a waiting task
        for (int i = 0; i < 3000 && pool.waiting() == 0; i++) {
            Thread.sleep(1);
        }
        assertThat(pool.waiting()).isEqualTo(1);
    }

    @Test
    void work_runs_on_the_pool_and_its_result_comes_back() {
        assertThat(pool.call(() -> Thread.currentThread().getName())).startsWith("admit-password-");
    }

    @Test
    void when_every_thread_is_busy_and_the_queue_full_a_request_is_refused_at_once_as_resource_exhausted()
            throws InterruptedException {
        fill();

        assertThatThrownBy(() -> pool.call(() -> "never"))
                .isInstanceOf(DomainException.class)
                .satisfies(e -> {
                    assertThat(((DomainException) e).error()).isEqualTo(ErrorCatalogue.PASSWORD_HASHING_BUSY);
                    assertThat(((DomainException) e).error().category()).isEqualTo(ErrorCategory.RESOURCE_EXHAUSTED);
                });
    }

    @Test
    void a_request_that_would_wait_longer_than_its_caller_for_the_spent_budget_is_refused_at_once() {
        // half a processor, 5 s of it saved up; 8.5 s of CPU spent leave 7 s to wait on a clock that stands
        HashingBudget spent = new HashingBudget(0.5, 1, () -> 0L, () -> 0L);
        spent.charge(TimeUnit.MILLISECONDS.toNanos(8500));
        AtomicBoolean ran = new AtomicBoolean();

        try (PasswordHashingPool throttled = new PasswordHashingPool(1, 10, spent)) {
            assertThatThrownBy(() -> throttled.call(() -> ran.getAndSet(true)))
                    .isInstanceOf(DomainException.class)
                    .satisfies(e ->
                            assertThat(((DomainException) e).error()).isEqualTo(ErrorCatalogue.PASSWORD_HASHING_BUSY));
        }
        assertThat(ran).isFalse();
    }

    @Test
    void a_request_within_the_wait_runs_once_the_budget_allows() {
        // 0.3 s of debt at half a processor: 0.6 s to wait
        HashingBudget owing = new HashingBudget(0.5, 1);
        owing.charge(TimeUnit.MILLISECONDS.toNanos(5300));

        long started = System.nanoTime();
        try (PasswordHashingPool throttled = new PasswordHashingPool(1, 10, owing)) {
            assertThat(throttled.call(() -> "hashed")).isEqualTo("hashed");
        }
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(590));
    }

    @Test
    void once_work_finishes_requests_are_taken_again() throws InterruptedException {
        fill();
        release.countDown();

        String result = null;
        for (int i = 0; i < 3000 && result == null; i++) {
            try {
                result = pool.call(() -> "done");
            } catch (DomainException busy) {
                Thread.sleep(1);
            }
        }
        assertThat(result).isEqualTo("done");
    }

    @Test
    void a_failure_of_the_work_reaches_the_caller_as_it_is() {
        assertThatThrownBy(() -> pool.call(() -> {
                    throw new IllegalArgumentException("boom");
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("boom");
    }

    @Test
    void a_password_the_policy_refuses_is_never_hashed_so_a_full_pool_does_not_refuse_it() throws InterruptedException {
        Passwords passwords = new Passwords(new PasswordHasher(PasswordHasherTest.fast()), pool);
        fill();

        assertThat(passwords.newPassword("new_password.password", "weak", false).hash())
                .isNull();
        assertThatThrownBy(() -> passwords.newPassword("new_password.password", "Sup3r-Secret!", false))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("ADMIT-Pw8bz");
    }

    @Test
    void checking_without_a_stored_hash_still_verifies_and_fails() {
        Passwords passwords = new Passwords(new PasswordHasher(PasswordHasherTest.fast()), pool);

        assertThat(passwords.check("anything", Optional.empty()).matched()).isFalse();
        assertThat(passwords.check("anything", Optional.empty()).checkedAgainst())
                .isNull();
    }

    @Test
    void a_matching_password_against_a_weaker_hash_is_rehashed_with_the_settings() {
        Passwords passwords = new Passwords(new PasswordHasher(PasswordHasherTest.fast()), pool);
        PasswordHash bcrypt = PasswordHash.of(PasswordHasherTest.BCRYPT_VECTOR);

        assertThat(passwords.check("U*U", Optional.of(bcrypt)).matched()).isTrue();
        assertThat(passwords.rehashIfWeaker("U*U", bcrypt))
                .hasValueSatisfying(rehash -> assertThat(rehash.scheme()).isEqualTo(PasswordHash.Scheme.ARGON2ID));
        PasswordHash current =
                passwords.newPassword("p", "Sup3r-Secret!", false).hash();
        assertThat(passwords.rehashIfWeaker("Sup3r-Secret!", current)).isEmpty();
    }
}
