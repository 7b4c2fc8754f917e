package dev.admit.domain.serialization;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.admit.domain.message.UserEvent;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * The serializer of the event store: Jackson with a mapper of its own (so application JSON settings never change
 * stored events), event types under their stable names ({@link EventTypes}) and revisions from {@code @Revision}.
 */
public final class EventSerialization {

    private EventSerialization() {}

    /** A new mapper configured for stored events; owned by the event store, never shared with the web layer. */
    public static ObjectMapper newEventObjectMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
    }

    /** The serializer for events (and snapshots) in the event store. */
    public static JacksonSerializer newEventSerializer() {
        return new StableNameSerializer(JacksonSerializer.builder()
                .objectMapper(newEventObjectMapper())
                .revisionResolver(new AnnotationRevisionResolver()));
    }

    /** Jackson serialization that stores registered event types under their stable names. */
    static final class StableNameSerializer extends JacksonSerializer {

        /**
         * One reader per type, made on first use: Axon's serializer asks its mapper for a new reader on every
         * deserialization (each event payload and metadata of every aggregate load and processor batch). Readers are
         * immutable, and the mapper is this serializer's own, configured before the first read.
         */
        private final ClassValue<ObjectReader> readers = new ClassValue<>() {
            @Override
            protected ObjectReader computeValue(Class<?> type) {
                return getObjectMapper().readerFor(type);
            }
        };

        /**
         * Classes found by name, other than the registered events' (metadata, snapshots): Axon's serializer looks a
         * stored type up with {@code Class.forName} on every deserialization and every payload type asked for, which
         * took a sixth of the users projection's CPU. The names come from the store, so the map stays small; names
         * that resolve to nothing are left to Axon's own handling.
         */
        private final Map<String, Class<?>> classesByName = new ConcurrentHashMap<>();

        StableNameSerializer(Builder builder) {
            super(builder);
        }

        @Override
        @SuppressWarnings("rawtypes") // the overridden signature is raw
        public Class classForType(SerializedType type) {
            Optional<Class<? extends UserEvent>> event = EventTypes.classOf(type.getName());
            if (event.isPresent()) {
                return event.get();
            }
            Class<?> known = classesByName.get(type.getName());
            if (known != null) {
                return known;
            }
            Class<?> found = super.classForType(type);
            if (found != UnknownSerializedType.class && found != Void.class) {
                classesByName.put(type.getName(), found);
            }
            return found;
        }

        @Override
        protected ObjectReader getReader(Class<?> type) {
            return readers.get(type);
        }

        @Override
        @SuppressWarnings("rawtypes") // the overridden signature is raw
        public SerializedType typeForClass(Class type) {
            if (type == null) {
                return super.typeForClass(null);
            }
            return EventTypes.nameOf(type)
                    .<SerializedType>map(name ->
                            new SimpleSerializedType(name, getRevisionResolver().revisionOf(type)))
                    .orElseGet(() -> super.typeForClass(type));
        }
    }
}
