package dev.admit.domain.invite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InviteCodeGeneratorTest {

    private static final String ALPHABET = InviteCodePolicy.UPPERCASE_ALPHANUMERIC;
    private static final int CODES = 50_000;

    /** Chi-square quantiles for 35 degrees of freedom (36 symbols): p = 0.001 in the upper and the lower tail. */
    private static final double CHI_SQUARE_35_UPPER = 66.62;

    private static final double CHI_SQUARE_35_LOWER = 14.69;

    /** Chi-square quantile for 1 degree of freedom (2 symbols), p = 0.001 in the upper tail. */
    private static final double CHI_SQUARE_1_UPPER = 10.83;

    /** A deterministic CSPRNG: the statistical tests below give the same answer on every run. */
    private static SecureRandom seededRandom(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed); // before first use, so the seed replaces (not supplements) the entropy
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static double chiSquareAgainstUniform(long[] observed) {
        long total = 0;
        for (long count : observed) {
            total += count;
        }
        double expected = (double) total / observed.length;
        double statistic = 0;
        for (long count : observed) {
            double difference = count - expected;
            statistic += difference * difference / expected;
        }
        return statistic;
    }

    @Test
    void the_default_policy_matches_the_spec() {
        InviteCodePolicy policy = InviteCodePolicy.DEFAULT;

        assertThat(policy.length()).isEqualTo(6);
        assertThat(policy.alphabet()).isEqualTo("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        assertThat(policy.expiry()).isEqualTo(Duration.ofHours(72));
        assertThat(policy.maxAttempts()).isEqualTo(3);
    }

    @Test
    void codes_have_the_policy_length_and_only_alphabet_symbols() {
        InviteCodeGenerator generator = new InviteCodeGenerator(seededRandom(1));

        for (int i = 0; i < 10_000; i++) {
            String code = generator.next(InviteCodePolicy.DEFAULT).reveal();
            assertThat(code).hasSize(6).matches("[A-Z0-9]{6}");
        }
    }

    @Test
    void every_symbol_appears_and_the_symbol_counts_fit_a_uniform_distribution() {
        InviteCodeGenerator generator = new InviteCodeGenerator(seededRandom(20_240_101L));
        long[] counts = new long[ALPHABET.length()];

        for (int i = 0; i < CODES; i++) {
            for (char symbol : generator.next(InviteCodePolicy.DEFAULT).reveal().toCharArray()) {
                counts[ALPHABET.indexOf(symbol)]++;
            }
        }

        assertThat(counts).hasSize(36).doesNotContain(0L);
        assertThat(chiSquareAgainstUniform(counts))
                .as("chi-square of 300,000 symbols against uniform, 35 degrees of freedom")
                .isLessThan(CHI_SQUARE_35_UPPER)
                // a statistic this small would mean the symbols are too even to be random (for example, cycled)
                .isGreaterThan(CHI_SQUARE_35_LOWER);
    }

    @Test
    void every_position_of_the_code_is_uniform_on_its_own() {
        InviteCodeGenerator generator = new InviteCodeGenerator(seededRandom(42));
        long[][] counts = new long[InviteCodePolicy.DEFAULT.length()][ALPHABET.length()];

        for (int i = 0; i < CODES; i++) {
            String code = generator.next(InviteCodePolicy.DEFAULT).reveal();
            for (int position = 0; position < code.length(); position++) {
                counts[position][ALPHABET.indexOf(code.charAt(position))]++;
            }
        }

        for (int position = 0; position < counts.length; position++) {
            assertThat(chiSquareAgainstUniform(counts[position]))
                    .as("chi-square of position %d", position)
                    .isLessThan(CHI_SQUARE_35_UPPER);
        }
    }

    @Test
    void the_uniformity_check_would_notice_modulo_bias() {
        // A generator that reduced a random byte modulo 36 would favour the first 256 % 36 = 4 symbols.
        Random bytes = new Random(7);
        long[] counts = new long[ALPHABET.length()];
        for (int i = 0; i < CODES * 6; i++) {
            counts[bytes.nextInt(256) % ALPHABET.length()]++;
        }

        assertThat(chiSquareAgainstUniform(counts)).isGreaterThan(CHI_SQUARE_35_UPPER);
    }

    @Test
    void a_custom_policy_is_respected() {
        InviteCodePolicy policy = new InviteCodePolicy(10, "AB", Duration.ofMinutes(5), 1);
        InviteCodeGenerator generator = new InviteCodeGenerator(seededRandom(3));
        long[] counts = new long[2];

        for (int i = 0; i < 10_000; i++) {
            String code = generator.next(policy).reveal();
            assertThat(code).hasSize(10).matches("[AB]{10}");
            for (char symbol : code.toCharArray()) {
                counts[symbol - 'A']++;
            }
        }

        assertThat(counts).doesNotContain(0L);
        assertThat(chiSquareAgainstUniform(counts)).isLessThan(CHI_SQUARE_1_UPPER);
    }

    @Test
    void the_same_seed_gives_the_same_codes_so_the_statistics_above_are_deterministic() {
        InviteCodeGenerator first = new InviteCodeGenerator(seededRandom(99));
        InviteCodeGenerator second = new InviteCodeGenerator(seededRandom(99));

        for (int i = 0; i < 100; i++) {
            assertThat(first.next(InviteCodePolicy.DEFAULT).reveal())
                    .isEqualTo(second.next(InviteCodePolicy.DEFAULT).reveal());
        }
    }

    @Nested
    class InviteCodePolicyValidation {

        private final Duration expiry = Duration.ofHours(1);

        @Test
        void lengths_from_1_to_20_are_accepted() {
            assertThat(new InviteCodePolicy(1, ALPHABET, expiry, 1).length()).isEqualTo(1);
            assertThat(new InviteCodePolicy(20, ALPHABET, expiry, 1).length()).isEqualTo(20);
        }

        @Test
        void a_length_of_0_or_21_is_refused() {
            assertThatThrownBy(() -> new InviteCodePolicy(0, ALPHABET, expiry, 3))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new InviteCodePolicy(21, ALPHABET, expiry, 3))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void an_alphabet_with_duplicate_symbols_is_refused() {
            assertThatThrownBy(() -> new InviteCodePolicy(6, "ABCA", expiry, 3))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void an_alphabet_of_fewer_than_two_symbols_is_refused() {
            assertThatThrownBy(() -> new InviteCodePolicy(6, "A", expiry, 3))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new InviteCodePolicy(6, "", expiry, 3))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void an_alphabet_with_white_space_or_non_ascii_symbols_is_refused() {
            assertThatThrownBy(() -> new InviteCodePolicy(6, "AB C", expiry, 3))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new InviteCodePolicy(6, "ABÄ", expiry, 3))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_zero_or_negative_expiry_is_refused() {
            assertThatThrownBy(() -> new InviteCodePolicy(6, ALPHABET, Duration.ZERO, 3))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new InviteCodePolicy(6, ALPHABET, Duration.ofSeconds(-1), 3))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void zero_max_attempts_are_refused() {
            assertThatThrownBy(() -> new InviteCodePolicy(6, ALPHABET, expiry, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_code_is_exhausted_once_its_failures_reach_max_attempts() {
            InviteCodePolicy policy = InviteCodePolicy.DEFAULT;

            assertThat(policy.exhaustedAfter(2)).isFalse();
            assertThat(policy.exhaustedAfter(3)).isTrue();
        }

        @Test
        void a_code_expires_expiry_after_it_was_issued() {
            Instant issued = Instant.parse("2025-01-01T00:00:00Z");

            assertThat(InviteCodePolicy.expiresAt(issued, Duration.ofHours(72)))
                    .isEqualTo(Instant.parse("2025-01-04T00:00:00Z"));
        }
    }

    @Nested
    class InviteCodeBehaviour {

        private final InviteCode code = new InviteCode("K7Q2ZD");

        @Test
        void to_string_never_shows_the_code() {
            assertThat(code.toString()).doesNotContain("K7Q2ZD").contains("redacted");
            assertThat(String.valueOf(Optional.of(code))).doesNotContain("K7Q2ZD");
        }

        @Test
        void reveal_gives_the_code() {
            assertThat(code.reveal()).isEqualTo("K7Q2ZD");
        }

        @Test
        void matches_only_the_exact_code() {
            assertThat(code.matches("K7Q2ZD")).isTrue();
            assertThat(code.matches("K7Q2Z")).isFalse();
            assertThat(code.matches("K7Q2ZDX")).isFalse();
            assertThat(code.matches(" K7Q2ZD")).isFalse();
            assertThat(code.matches("AAAAAA")).isFalse();
            assertThat(code.matches("")).isFalse();
        }

        @Test
        void matching_is_case_sensitive() {
            assertThat(code.matches("k7q2zd")).isFalse();
            assertThat(new InviteCode("abc").matches("ABC")).isFalse();
        }

        @Test
        void a_null_attempt_does_not_match() {
            assertThat(code.matches(null)).isFalse();
        }

        @Test
        void codes_are_equal_when_their_values_are() {
            assertThat(code).isEqualTo(new InviteCode("K7Q2ZD")).isNotEqualTo(new InviteCode("K7Q2ZE"));
            assertThat(code).hasSameHashCodeAs(new InviteCode("K7Q2ZD"));
        }

        @Test
        void a_null_code_is_refused() {
            assertThatThrownBy(() -> new InviteCode(null)).isInstanceOf(NullPointerException.class);
        }
    }
}
