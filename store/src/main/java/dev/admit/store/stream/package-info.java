/**
 * Event streams as NDJSON, one stored event per line in global order: what {@code admit export} writes and
 * {@code admit import} reads. Payloads are the stored JSON; sealed invite codes stay sealed, so a store that imports
 * them needs the keys of the store that wrote them.
 */
package dev.admit.store.stream;
