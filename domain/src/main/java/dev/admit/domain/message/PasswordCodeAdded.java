package dev.admit.domain.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.admit.domain.crypto.EncryptedCode;
import java.time.Duration;
import org.axonframework.serialization.Revision;

/**
 * A password reset code was issued; it supersedes any earlier one and resets the failure count. The code is sealed.
 * For a mailed code, {@code urlTemplate} is the link template given, absent when the configured default applies.
 */
@Revision("1")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PasswordCodeAdded(EncryptedCode code, Duration expiry, String urlTemplate, boolean codeReturned)
        implements UserEvent {}
