package dev.admit.spring.boot;

import org.axonframework.eventhandling.EventMessageHandler;

/**
 * A handler of Admit's events that only observes (metrics): it runs in a subscribing processor of its own, in the
 * appending transaction, and must neither fail nor block.
 */
public interface AdmitEventObserver extends EventMessageHandler {

    /** The processing group observers run in. */
    String PROCESSING_GROUP = "admit-observers";
}
