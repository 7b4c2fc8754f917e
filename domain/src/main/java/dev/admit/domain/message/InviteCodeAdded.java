package dev.admit.domain.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.admit.domain.crypto.EncryptedCode;
import java.time.Duration;
import org.axonframework.serialization.Revision;

/**
 * A new invite code was issued; it supersedes any earlier one. The code is sealed. For a mailed code,
 * {@code urlTemplate} and {@code applicationName} are the ones given or, when omitted, the previous code's; absent
 * when neither exists, in which case the service's configured defaults apply when the mail is sent.
 */
@Revision("1")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InviteCodeAdded(
        EncryptedCode code, Duration expiry, String urlTemplate, String applicationName, boolean codeReturned)
        implements UserEvent {}
