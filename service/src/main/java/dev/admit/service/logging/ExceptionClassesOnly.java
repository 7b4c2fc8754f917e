package dev.admit.service.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Set;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * Structured (JSON) log lines with an exception as its class names only, as in the plain log: the members that
 * carry an exception's message or stack trace in Spring Boot's ECS, Logstash and GELF formats are left out, and
 * {@code exception_classes} holds {@code Outer <- Cause <- …}.
 */
public final class ExceptionClassesOnly implements StructuredLoggingJsonMembersCustomizer<ILoggingEvent> {

    private static final Set<String> HIDDEN =
            Set.of("stack_trace", "_error_stack_trace", "_error_message", "full_message");

    @Override
    public void customize(JsonWriter.Members<ILoggingEvent> members) {
        members.applyingPathFilter(ExceptionClassesOnly::hidden);
        members.add("exception_classes", ExceptionClassesConverter::classChain).whenNotNull();
    }

    private static boolean hidden(JsonWriter.MemberPath path) {
        if (HIDDEN.contains(path.name())) {
            return true;
        }
        // ECS nests the exception under "error": its message may hold SQL or request data
        return "message".equals(path.name())
                && path.parent() != null
                && "error".equals(path.parent().name());
    }
}
