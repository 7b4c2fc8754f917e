package dev.admit.domain.message;

import dev.admit.domain.error.InvalidValueException;
import java.util.Objects;

/** How a new password reset code reaches the user: returned to the caller, or sent as a link. */
public sealed interface PasswordResetDelivery {

    /** The code is returned in the response and never sent. */
    record ReturnCode() implements PasswordResetDelivery {}

    /**
     * The code is sent as a link built from {@code urlTemplate} (the configured default when null). Only
     * {@link NotificationType#EMAIL} is supported; SMS is refused with {@code ADMIT-Pw2sm}.
     */
    record SendLink(NotificationType notificationType, String urlTemplate) implements PasswordResetDelivery {

        public SendLink {
            Objects.requireNonNull(notificationType, "notificationType");
            InvalidValueException.requireLength("send_link.url_template", urlTemplate, 0, 200);
            if (urlTemplate != null && urlTemplate.isEmpty()) {
                throw new InvalidValueException(
                        "send_link.url_template", "send_link.url_template must be between 1 and 200 characters long");
            }
        }

        public static SendLink email() {
            return new SendLink(NotificationType.EMAIL, null);
        }
    }

    enum NotificationType {
        EMAIL,
        SMS
    }
}
