package dev.admit.domain.serialization;

import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.IdpLinkAdded;
import dev.admit.domain.message.IdpLinkRemoved;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.InviteCodeCheckFailed;
import dev.admit.domain.message.InviteCodeSent;
import dev.admit.domain.message.InviteCodeVerified;
import dev.admit.domain.message.PasskeyAdded;
import dev.admit.domain.message.PasskeyRemoved;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.PasswordCheckFailed;
import dev.admit.domain.message.PasswordCodeAdded;
import dev.admit.domain.message.PasswordCodeCheckFailed;
import dev.admit.domain.message.PasswordCodeSent;
import dev.admit.domain.message.PasswordHashUpdated;
import dev.admit.domain.message.UserEvent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The stable stored name of every event type: a public contract that lets streams survive refactoring and be read
 * by other tools. Renaming a Java class changes nothing here; renaming an entry breaks every stored stream.
 */
public final class EventTypes {

    /** The aggregate type of every user stream. */
    public static final String USER_AGGREGATE_TYPE = "user";

    private static final Map<Class<? extends UserEvent>, String> NAMES = new LinkedHashMap<>();
    private static final Map<String, Class<? extends UserEvent>> CLASSES = new LinkedHashMap<>();

    static {
        register(HumanUserAdded.class, "user.human.added");
        register(EmailVerified.class, "user.human.email.verified");
        register(InviteCodeAdded.class, "user.human.invite.code.added");
        register(InviteCodeSent.class, "user.human.invite.code.sent");
        register(InviteCodeVerified.class, "user.human.invite.check.succeeded");
        register(InviteCodeCheckFailed.class, "user.human.invite.check.failed");
        register(PasswordChanged.class, "user.human.password.changed");
        register(PasswordHashUpdated.class, "user.human.password.hash.updated");
        register(PasswordCheckFailed.class, "user.human.password.check.failed");
        register(PasswordCodeAdded.class, "user.human.password.code.added");
        register(PasswordCodeSent.class, "user.human.password.code.sent");
        register(PasswordCodeCheckFailed.class, "user.human.password.code.check.failed");
        register(PasskeyAdded.class, "user.human.passwordless.token.verified");
        register(PasskeyRemoved.class, "user.human.passwordless.token.removed");
        register(IdpLinkAdded.class, "user.human.externalidp.added");
        register(IdpLinkRemoved.class, "user.human.externalidp.removed");
    }

    private EventTypes() {}

    private static void register(Class<? extends UserEvent> type, String name) {
        if (NAMES.put(type, name) != null || CLASSES.put(name, type) != null) {
            throw new IllegalStateException("event type registered twice: " + name);
        }
    }

    /** The stored name of an event class, if it is a registered event. */
    public static Optional<String> nameOf(Class<?> type) {
        return Optional.ofNullable(NAMES.get(type));
    }

    /** The event class stored under {@code name}, if any. */
    public static Optional<Class<? extends UserEvent>> classOf(String name) {
        return Optional.ofNullable(CLASSES.get(name));
    }

    /** Every registered event class with its stored name, in registration order. */
    public static Map<Class<? extends UserEvent>, String> all() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(NAMES));
    }
}
