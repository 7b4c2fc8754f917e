package dev.admit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.axonframework.common.IdentifierFactory;
import org.junit.jupiter.api.Test;

class TimeOrderedIdentifiersTest {

    @Test
    void a_library_on_its_own_leaves_axons_identifier_factory_alone() {
        assertThat(IdentifierFactory.getInstance()).isNotInstanceOf(TimeOrderedIdentifiers.class);
    }

    @Test
    void an_identifier_is_a_version_7_uuid_carrying_its_millisecond() {
        long millis = 1_795_689_059_716L;
        UUID id = UUID.fromString(new TimeOrderedIdentifiers(() -> millis).generateIdentifier());

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
    }

    @Test
    void identifiers_of_later_milliseconds_sort_after_earlier_ones_as_text() {
        AtomicLong clock = new AtomicLong(1_795_689_059_716L);
        TimeOrderedIdentifiers identifiers = new TimeOrderedIdentifiers(() -> clock.getAndAdd(1));

        List<String> ids = IntStream.range(0, 1_000)
                .mapToObj(i -> identifiers.generateIdentifier())
                .toList();

        assertThat(ids).isSorted();
    }

    @Test
    void identifiers_of_the_same_millisecond_differ() {
        TimeOrderedIdentifiers identifiers = new TimeOrderedIdentifiers(() -> 1_795_689_059_716L);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(identifiers.generateIdentifier());
        }
        assertThat(ids).hasSize(100_000);
    }
}
