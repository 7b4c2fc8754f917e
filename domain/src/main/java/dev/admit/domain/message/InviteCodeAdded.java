package dev.admit.domain.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.admit.domain.crypto.EncryptedCode;
import java.time.Duration;
import org.axonframework.serialization.Revision;

/**
 * A new invite code was issued; it supersedes any earlier code. The code is sealed; {@code urlTemplate} and
 * {@code applicationName} are the effective ones for a mailed code (defaults already applied), absent when none.
 */
@Revision("1")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InviteCodeAdded(
        EncryptedCode code, Duration expiry, String urlTemplate, String applicationName, boolean codeReturned)
        implements UserEvent {}
