package dev.admit.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.store.TimeOrderedIdentifiers;
import org.axonframework.common.IdentifierFactory;
import org.junit.jupiter.api.Test;

/** The standalone service opts in to time-ordered message identifiers, a JVM-wide setting a library leaves alone. */
class ServiceIdentifiersTest {

    @Test
    void the_service_names_every_axon_message_with_a_time_ordered_identifier() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(TimeOrderedIdentifiers.class);
    }
}
