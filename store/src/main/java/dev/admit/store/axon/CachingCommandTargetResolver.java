package dev.admit.store.axon;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.ReflectionUtils;
import org.axonframework.common.annotation.AnnotationUtils;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;

/**
 * Axon's {@link AnnotationCommandTargetResolver}, with the annotated members looked up once per command type. Axon's
 * own searches every method and field of the command, copying each, on every command: about 4 % of the service's
 * CPU and of its allocations per verification. Members are found exactly as Axon finds them (methods before fields,
 * meta-annotations included); a command it cannot resolve is handed to Axon's resolver, so the failure is Axon's.
 *
 * <p>Replaces Axon's {@code AnnotationCommandTargetResolver}; checked on Axon 4.13.0.
 */
public final class CachingCommandTargetResolver implements CommandTargetResolver {

    private final CommandTargetResolver axon =
            AnnotationCommandTargetResolver.builder().build();

    private final ClassValue<Target> targets = new ClassValue<>() {
        @Override
        protected Target computeValue(Class<?> type) {
            return new Target(
                    Accessor.find(type, TargetAggregateIdentifier.class),
                    Accessor.find(type, TargetAggregateVersion.class));
        }
    };

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        Target target = targets.get(command.getPayloadType());
        Object payload = command.getPayload();
        try {
            Object identifier = target.identifier().read(payload);
            Object version = target.version().read(payload);
            if (identifier == null || !(version == null || version instanceof Number)) {
                return axon.resolveTarget(command);
            }
            return new VersionedAggregateIdentifier(
                    identifier, version == null ? null : ((Number) version).longValue());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return axon.resolveTarget(command);
        }
    }

    private record Target(Accessor identifier, Accessor version) {}

    /** Reads the member of a command type that carries an annotation, or nothing if none does. */
    private interface Accessor {

        Object read(Object payload) throws ReflectiveOperationException;

        static Accessor find(Class<?> type, Class<? extends Annotation> annotation) {
            for (Method method : ReflectionUtils.methodsOf(type)) {
                if (AnnotationUtils.isAnnotationPresent(method, annotation)) {
                    Method accessible = ReflectionUtils.ensureAccessible(method);
                    return accessible::invoke;
                }
            }
            for (Field field : ReflectionUtils.fieldsOf(type)) {
                if (AnnotationUtils.isAnnotationPresent(field, annotation)) {
                    Field accessible = ReflectionUtils.ensureAccessible(field);
                    return accessible::get;
                }
            }
            return payload -> null;
        }
    }
}
