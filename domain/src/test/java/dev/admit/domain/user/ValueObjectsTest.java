package dev.admit.domain.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.domain.error.InvalidValueException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueObjectsTest {

    private static final String EMOJI = "😀"; // one code point, two UTF-16 chars

    static Stream<Arguments> identifiers() {
        return Stream.of(
                Arguments.of("user_id", (Function<String, Object>) UserId::new),
                Arguments.of("org_id", (Function<String, Object>) OrgId::new),
                Arguments.of("username", (Function<String, Object>) Username::new));
    }

    @Nested
    class LengthLimits {

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.admit.domain.user.ValueObjectsTest#identifiers")
        void two_hundred_code_points_are_accepted_even_when_they_take_four_hundred_chars(
                String field, Function<String, Object> create) {
            String value = EMOJI.repeat(200);

            assertThat(value).hasSize(400);
            assertThatCode(() -> create.apply(value)).doesNotThrowAnyException();
            assertThatCode(() -> create.apply("a".repeat(200))).doesNotThrowAnyException();
            assertThatCode(() -> create.apply("a")).doesNotThrowAnyException();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.admit.domain.user.ValueObjectsTest#identifiers")
        void two_hundred_and_one_code_points_are_refused(String field, Function<String, Object> create) {
            assertThatThrownBy(() -> create.apply(EMOJI.repeat(201)))
                    .isInstanceOfSatisfying(
                            InvalidValueException.class,
                            e -> assertThat(e.field()).isEqualTo(field))
                    .hasMessageContaining(field)
                    .hasMessageContaining("200")
                    .hasMessageNotContaining(EMOJI);
            assertThatThrownBy(() -> create.apply("a".repeat(201))).isInstanceOf(InvalidValueException.class);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.admit.domain.user.ValueObjectsTest#identifiers")
        void an_empty_or_missing_value_is_refused(String field, Function<String, Object> create) {
            assertThatThrownBy(() -> create.apply(""))
                    .isInstanceOfSatisfying(
                            InvalidValueException.class,
                            e -> assertThat(e.field()).isEqualTo(field))
                    .hasMessageContaining(field);
            assertThatThrownBy(() -> create.apply(null))
                    .isInstanceOfSatisfying(
                            InvalidValueException.class,
                            e -> assertThat(e.field()).isEqualTo(field))
                    .hasMessageContaining(field);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.admit.domain.user.ValueObjectsTest#identifiers")
        void the_message_of_a_refusal_does_not_repeat_the_value(String field, Function<String, Object> create) {
            String value = "leaked-value-".repeat(20);

            assertThatThrownBy(() -> create.apply(value))
                    .isInstanceOf(InvalidValueException.class)
                    .hasMessageContaining(field)
                    .hasMessageNotContaining("leaked-value");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.admit.domain.user.ValueObjectsTest#identifiers")
        void the_string_form_is_the_value(String field, Function<String, Object> create) {
            assertThat(create.apply("abc-123").toString()).isEqualTo("abc-123");
        }
    }

    @Nested
    class Usernames {

        @ParameterizedTest
        @ValueSource(strings = {" alice", "alice ", "\talice", "alice\n", "\u2003alice", " "})
        void surrounding_white_space_is_refused(String value) {
            assertThatThrownBy(() -> new Username(value))
                    .isInstanceOfSatisfying(
                            InvalidValueException.class,
                            e -> assertThat(e.field()).isEqualTo("username"))
                    .hasMessageContaining("username");
        }

        @Test
        void inner_white_space_and_email_like_names_are_accepted() {
            assertThat(new Username("alice smith").value()).isEqualTo("alice smith");
            assertThat(new Username("alice@example.com").value()).isEqualTo("alice@example.com");
        }
    }

    @Nested
    class EmailAddresses {

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "alice@example.com",
                    "Alice.Liddell@Example.COM",
                    "alice+tag@example.com",
                    "alice+tag+more@example.com",
                    "first.last@mail.sub.example.co.uk",
                    "o'brien@example.ie",
                    "user_name-1@my-domain.example",
                    "x@example.museum",
                    "1234567890@123.example",
                    "alice@[192.168.0.1]"
                })
        void normal_addresses_are_accepted(String value) {
            assertThat(new EmailAddress(value).value()).isEqualTo(value);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "alice.example.com",
                    "alice@bob@example.com",
                    "alice smith@example.com",
                    "alice@exa mple.com",
                    " alice@example.com",
                    "alice@example.com ",
                    "alice@example.com.",
                    "alice@.example.com",
                    "alice@example..com",
                    "alice.@example.com",
                    ".alice@example.com",
                    "al..ice@example.com",
                    "@example.com",
                    "alice@",
                    "@",
                    "alice@-example.com",
                    "alice@example-.com",
                    "alice@exam_ple.com",
                    "alice(comment)@example.com",
                    "<alice@example.com>",
                    "Alice <alice@example.com>",
                    "alice@example.com\n"
                })
        void garbage_is_refused(String value) {
            assertThatThrownBy(() -> new EmailAddress(value))
                    .isInstanceOfSatisfying(
                            InvalidValueException.class,
                            e -> assertThat(e.field()).isEqualTo("email"))
                    .hasMessageContaining("email")
                    .hasMessageNotContaining(value.strip());
        }

        @Test
        void an_empty_or_missing_address_is_refused() {
            assertThatThrownBy(() -> new EmailAddress("")).isInstanceOf(InvalidValueException.class);
            assertThatThrownBy(() -> new EmailAddress(null)).isInstanceOf(InvalidValueException.class);
        }

        @Test
        void two_hundred_characters_are_accepted_and_two_hundred_and_one_refused() {
            String local = "a".repeat(64);
            String domain = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(7);
            String longest = local + "@" + domain;
            String tooLong = longest + "d";

            assertThat(longest).hasSize(200);
            assertThat(new EmailAddress(longest).value()).isEqualTo(longest);
            assertThatThrownBy(() -> new EmailAddress(tooLong))
                    .isInstanceOf(InvalidValueException.class)
                    .hasMessageContaining("email")
                    .hasMessageNotContaining(local);
        }

        @Test
        void a_local_part_over_64_characters_is_refused() {
            assertThatThrownBy(() -> new EmailAddress("a".repeat(65) + "@example.com"))
                    .isInstanceOf(InvalidValueException.class);
        }

        @Test
        void a_domain_label_over_63_characters_is_refused() {
            assertThatThrownBy(() -> new EmailAddress("alice@" + "b".repeat(64) + ".com"))
                    .isInstanceOf(InvalidValueException.class);
        }

        @Test
        void the_message_names_the_field_but_not_the_address() {
            String value = "secret.person@@example.com";

            assertThatThrownBy(() -> new EmailAddress(value))
                    .isInstanceOf(InvalidValueException.class)
                    .hasMessageContaining("email")
                    .hasMessageNotContaining("secret.person")
                    .hasMessageNotContaining("example.com");
        }
    }

    @Nested
    class UserIds {

        private final Instant start = Instant.parse("2025-06-01T12:00:00Z");

        @Test
        void ids_from_one_generator_strictly_increase_as_numbers() {
            UserIdGenerator generator = new UserIdGenerator(Clock.systemUTC(), 7);

            long previous = Long.MIN_VALUE;
            for (int i = 0; i < 100_000; i++) {
                long id = Long.parseLong(generator.next().value());
                assertThat(id).isGreaterThan(previous);
                previous = id;
            }
        }

        @Test
        void ids_are_positive_decimal_numbers() {
            UserIdGenerator generator = new UserIdGenerator(Clock.fixed(start, ZoneOffset.UTC), 0);

            assertThat(generator.next().value()).matches("[1-9][0-9]*");
        }

        @Test
        void an_id_carries_the_milliseconds_since_2024_in_its_high_bits() {
            Instant at = Instant.parse("2024-07-01T00:00:00.123Z");
            UserIdGenerator generator = new UserIdGenerator(Clock.fixed(at, ZoneOffset.UTC), UserIdGenerator.MAX_NODE);

            long id = Long.parseLong(generator.next().value());

            long expectedMillis =
                    Duration.between(Instant.parse("2024-01-01T00:00:00Z"), at).toMillis();
            assertThat(id >>> 22).isEqualTo(expectedMillis);
        }

        @Test
        void a_later_millisecond_gives_a_larger_id_whatever_the_node() {
            UserId earlier = new UserIdGenerator(Clock.fixed(start, ZoneOffset.UTC), UserIdGenerator.MAX_NODE).next();
            UserId later = new UserIdGenerator(Clock.fixed(start.plusMillis(1), ZoneOffset.UTC), 0).next();

            assertThat(Long.parseLong(later.value())).isGreaterThan(Long.parseLong(earlier.value()));
        }

        @Test
        void two_generators_with_different_nodes_at_a_fixed_clock_never_collide() {
            Clock fixed = Clock.fixed(start, ZoneOffset.UTC);
            UserIdGenerator first = new UserIdGenerator(fixed, 1);
            UserIdGenerator second = new UserIdGenerator(fixed, 2);

            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 10_000; i++) {
                ids.add(first.next().value());
                ids.add(second.next().value());
            }

            assertThat(ids).hasSize(20_000);
        }

        @Test
        void a_clock_that_steps_backwards_still_gives_increasing_ids() {
            SteppingClock clock = new SteppingClock(start);
            UserIdGenerator generator = new UserIdGenerator(clock, 3);
            Duration[] steps = {
                Duration.ZERO,
                Duration.ofMillis(5),
                Duration.ofSeconds(-1),
                Duration.ofMillis(1),
                Duration.ofHours(-2),
                Duration.ofMillis(10),
                Duration.ofHours(3),
                Duration.ofMillis(-1)
            };

            long previous = Long.MIN_VALUE;
            for (Duration step : steps) {
                clock.advance(step);
                for (int i = 0; i < 50; i++) {
                    long id = Long.parseLong(generator.next().value());
                    assertThat(id).as("after stepping %s", step).isGreaterThan(previous);
                    previous = id;
                }
            }
        }

        @Test
        void more_than_4096_ids_within_one_millisecond_stay_unique_and_increasing() {
            UserIdGenerator generator = new UserIdGenerator(Clock.fixed(start, ZoneOffset.UTC), 5);

            Set<String> ids = new HashSet<>();
            long previous = Long.MIN_VALUE;
            for (int i = 0; i < 3 * 4096 + 10; i++) {
                String value = generator.next().value();
                long id = Long.parseLong(value);
                assertThat(id).isGreaterThan(previous);
                assertThat(ids.add(value)).isTrue();
                previous = id;
            }
        }

        @ParameterizedTest
        @ValueSource(ints = {-1, 1024, Integer.MAX_VALUE, Integer.MIN_VALUE})
        void a_node_out_of_range_is_refused(int node) {
            assertThatThrownBy(() -> new UserIdGenerator(Clock.systemUTC(), node))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void nodes_0_to_1023_are_accepted() {
            assertThat(UserIdGenerator.MAX_NODE).isEqualTo(1023);
            assertThatCode(() -> new UserIdGenerator(Clock.systemUTC(), 0)).doesNotThrowAnyException();
            assertThatCode(() -> new UserIdGenerator(Clock.systemUTC(), 1023)).doesNotThrowAnyException();
        }
    }

    /** A clock the test moves by hand, forwards or backwards. */
    private static final class SteppingClock extends Clock {

        private Instant now;

        SteppingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
