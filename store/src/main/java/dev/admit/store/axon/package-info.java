/**
 * The parts of Axon Framework that Admit replaces for speed, each a subclass or a stand-in of one Axon class, checked
 * against Axon 4.13.0: {@link dev.admit.store.axon.AdmitEventStorageEngine} ({@code JdbcEventStorageEngine}), {@link
 * dev.admit.store.axon.AdmitEventStore} ({@code EmbeddedEventStore}), {@link
 * dev.admit.store.axon.CachingCommandTargetResolver} ({@code AnnotationCommandTargetResolver}) and {@link
 * dev.admit.store.axon.SharedEventResult} (the result wrapping of Axon's {@code BatchingUnitOfWork}). On an Axon
 * upgrade, each is read again against the class it replaces.
 */
package dev.admit.store.axon;
