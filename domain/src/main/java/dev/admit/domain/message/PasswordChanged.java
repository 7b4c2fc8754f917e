package dev.admit.domain.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.serialization.Revision;

/**
 * A password was set: an authentication method. It ends any outstanding reset code. {@code userAgentId} and
 * {@code triggerOrigin} are stored only where known (ZITADEL's {@code userAgentID} and {@code triggerOrigin}); events
 * stored before they existed read with both absent, so the revision stays 1.
 */
@Revision("1")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PasswordChanged(
        String encodedHash,
        boolean changeRequired,
        @JsonProperty("userAgentID") String userAgentId,
        String triggerOrigin)
        implements UserEvent {

    public PasswordChanged(String encodedHash, boolean changeRequired) {
        this(encodedHash, changeRequired, null, null);
    }

    @Override
    public String toString() {
        return "PasswordChanged[encodedHash=redacted, changeRequired=" + changeRequired + ", userAgentID=" + userAgentId
                + ", triggerOrigin=" + triggerOrigin + "]";
    }
}
