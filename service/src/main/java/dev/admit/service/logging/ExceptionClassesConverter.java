package dev.admit.service.logging;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * Renders a logged exception as the chain of its class names only. Exception messages and stack traces can carry
 * SQL, request data or secrets; the classes are enough to tell what failed, and the service's own log lines say
 * where.
 */
public final class ExceptionClassesConverter extends ThrowableHandlingConverter {

    private static final int MAX_DEPTH = 12;

    @Override
    public String convert(ILoggingEvent event) {
        String classes = classChain(event);
        return classes == null ? "" : " [exception: " + classes + "]" + System.lineSeparator();
    }

    /** The event's exception as {@code Outer <- Cause <- …}; null without one. */
    static String classChain(ILoggingEvent event) {
        IThrowableProxy throwable = event.getThrowableProxy();
        if (throwable == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (IThrowableProxy cause = throwable; cause != null && depth < MAX_DEPTH; cause = cause.getCause(), depth++) {
            if (depth > 0) {
                out.append(" <- ");
            }
            out.append(cause.getClassName());
        }
        return out.toString();
    }
}
