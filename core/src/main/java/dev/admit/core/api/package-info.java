/**
 * Admit's public Java API: {@link dev.admit.core.api.Admit}, the one entry point for Java callers, and what its calls
 * take. The messages it answers with are the records of {@code dev.admit.domain.message}, the values those of
 * {@code dev.admit.domain.user}, its refusals the {@code dev.admit.domain.error.DomainException}s of the error
 * catalogue, and its reads the views of {@code dev.admit.projection}.
 */
package dev.admit.core.api;
