package dev.admit.store;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.axonframework.common.IdentifierFactory;

/**
 * Message identifiers as time-ordered UUIDs (version 7, RFC 9562: the millisecond first, then 74 random bits), found
 * by Axon through {@code ServiceLoader}. Every stored event carries its identifier under a unique index; random UUIDs
 * (Axon's default) put each new event on a random page of that index, which on a store of millions of events is a
 * page read and, after each checkpoint, a full page written to the WAL per event. Time-ordered ones all go to the
 * index's newest pages.
 */
public final class TimeOrderedIdentifiers extends IdentifierFactory {

    private final LongSupplier clock;

    public TimeOrderedIdentifiers() {
        this(System::currentTimeMillis);
    }

    TimeOrderedIdentifiers(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public String generateIdentifier() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = clock.getAsLong() & 0xFFFF_FFFF_FFFFL;
        long mostSignificant = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long leastSignificant = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(mostSignificant, leastSignificant).toString();
    }
}
