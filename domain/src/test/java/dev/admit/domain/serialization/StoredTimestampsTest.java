package dev.admit.domain.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;

class StoredTimestampsTest {

    @Test
    void every_timestamp_axon_stores_reads_back_as_axon_reads_it() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochMilli(random.nextLong(0, 253_402_300_799_999L)); // years 1970 to 9999
            String stored = DateTimeUtils.formatInstant(instant);
            assertThat(StoredTimestamps.parse(stored)).as(stored).isEqualTo(DateTimeUtils.parseInstant(stored));
        }
    }

    @Test
    void leap_days_and_the_last_millisecond_of_a_year_read_back_exactly() {
        for (String stored : new String[] {
            "2024-02-29T23:59:59.999Z",
            "2000-02-29T00:00:00.000Z",
            "1999-12-31T23:59:59.999Z",
            "1970-01-01T00:00:00.000Z"
        }) {
            assertThat(StoredTimestamps.parse(stored)).isEqualTo(Instant.parse(stored));
        }
    }

    @Test
    void other_shapes_go_to_axons_parser() {
        assertThat(StoredTimestamps.parse("2026-11-25T10:00:00.123456789Z"))
                .isEqualTo(Instant.parse("2026-11-25T10:00:00.123456789Z"));
        assertThat(StoredTimestamps.parse("2026-11-25T11:00:00.123+01:00"))
                .isEqualTo(Instant.parse("2026-11-25T10:00:00.123Z"));
        assertThat(StoredTimestamps.parse("2026-11-25T10:00:00Z")).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    }

    @Test
    void a_malformed_timestamp_is_refused_as_axon_refuses_it() {
        assertThatThrownBy(() -> StoredTimestamps.parse("2026-13-25T10:00:00.123Z"))
                .isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> StoredTimestamps.parse("2026-11-2xT10:00:00.123Z"))
                .isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> StoredTimestamps.parse("2026-02-30T10:00:00.123Z"))
                .isInstanceOf(DateTimeParseException.class);
    }
}
