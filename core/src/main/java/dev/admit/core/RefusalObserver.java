package dev.admit.core;

import dev.admit.domain.error.ErrorCatalogue;

/** Told of every refusal the entry point answers with, for counting; it must not block or throw. */
@FunctionalInterface
public interface RefusalObserver {

    RefusalObserver NONE = error -> {};

    void refused(ErrorCatalogue error);
}
