package dev.admit.domain.message;

import dev.admit.domain.error.InvalidValueException;

/** How a new invite code reaches the user: returned to the caller, or mailed by the service. */
public sealed interface InviteDelivery {

    /** The code is returned in the response and never mailed. */
    record ReturnCode() implements InviteDelivery {}

    /**
     * The code is mailed. A missing {@code urlTemplate} or {@code applicationName} falls back to the previous
     * code's, then to the service's defaults.
     */
    record SendCode(String urlTemplate, String applicationName) implements InviteDelivery {

        public SendCode {
            InvalidValueException.requireLength("send_code.url_template", urlTemplate, 0, 200);
            InvalidValueException.requireLength("send_code.application_name", applicationName, 0, 200);
            if (urlTemplate != null && urlTemplate.isEmpty()) {
                throw new InvalidValueException(
                        "send_code.url_template", "send_code.url_template must be between 1 and 200 characters long");
            }
            if (applicationName != null && applicationName.isEmpty()) {
                throw new InvalidValueException(
                        "send_code.application_name",
                        "send_code.application_name must be between 1 and 200 characters long");
            }
        }

        public static SendCode withDefaults() {
            return new SendCode(null, null);
        }
    }
}
