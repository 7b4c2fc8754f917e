package dev.admit.api.server.armeria;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.GeneratedMessage;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Writes the JSON of answers straight from their fields, by the proto3 JSON mapping and byte for byte as Armeria's
 * default marshaller (protobuf-jackson) does, which spent most of an answer's time formatting its timestamps (a
 * {@code SimpleDateFormat} and a {@code String.format} for each). Messages holding types this does not write (maps,
 * bytes, floating point, well-known types other than {@code Timestamp}) and all requests go to the default one.
 */
public final class AnswerJsonMarshaller implements GrpcJsonMarshaller {

    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range of the JSON mapping. */
    private static final long MIN_SECONDS = -62_135_596_800L;

    private static final long MAX_SECONDS = 253_402_300_799L;

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build()
            .setCharacterEscapes(new HtmlSafeEscapes());

    /**
     * The default marshaller's escaping, kept so that answers stay the same bytes: beyond JSON's own, the characters
     * HTML gives meaning to ({@code < > & = '}) are written as Unicode escapes, the first two in lower case.
     */
    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private static final SerializedString LESS_THAN = new SerializedString("\\u003c");
        private static final SerializedString GREATER_THAN = new SerializedString("\\u003e");
        private final int[] ascii = standardAsciiEscapesForJSON();

        HtmlSafeEscapes() {
            ascii['<'] = ESCAPE_CUSTOM;
            ascii['>'] = ESCAPE_CUSTOM;
            ascii['&'] = ESCAPE_STANDARD;
            ascii['='] = ESCAPE_STANDARD;
            ascii['\''] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == '<' ? LESS_THAN : ch == '>' ? GREATER_THAN : null;
        }
    }

    private final GrpcJsonMarshaller standard;
    private final Map<Descriptor, Boolean> writable = new ConcurrentHashMap<>();

    AnswerJsonMarshaller(GrpcJsonMarshaller standard) {
        this.standard = standard;
    }

    /** For {@code GrpcServiceBuilder.jsonMarshallerFactory}: each service gets its default marshaller behind this. */
    public static Function<ServiceDescriptor, GrpcJsonMarshaller> factory() {
        return service -> new AnswerJsonMarshaller(GrpcJsonMarshaller.of(service));
    }

    @Override
    public <T> void serializeMessage(Marshaller<T> marshaller, T message, OutputStream os) throws IOException {
        if (message instanceof GeneratedMessage answer && writes(answer.getDescriptorForType())) {
            try (JsonGenerator out = JSON.createGenerator(os)) {
                writeMessage(answer, out);
            }
        } else {
            standard.serializeMessage(marshaller, message, os);
        }
    }

    @Override
    public <T> T deserializeMessage(Marshaller<T> marshaller, InputStream is) throws IOException {
        return standard.deserializeMessage(marshaller, is);
    }

    /** Whether messages of this type are written here (decided once per type). */
    boolean writes(Descriptor type) {
        return writable.computeIfAbsent(type, t -> writable(t, new HashSet<>()));
    }

    private static boolean writable(Descriptor type, Set<Descriptor> visiting) {
        if (!visiting.add(type)) {
            return true;
        }
        for (FieldDescriptor field : type.getFields()) {
            boolean fits = switch (field.getType()) {
                case BYTES, FLOAT, DOUBLE, GROUP -> false;
                case MESSAGE ->
                    !field.isMapField()
                            && (isTimestamp(field.getMessageType())
                                    || (!field.getMessageType().getFullName().startsWith("google.protobuf.")
                                            && writable(field.getMessageType(), visiting)));
                default -> true;
            };
            if (!fits) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTimestamp(Descriptor type) {
        return type.getFullName().equals(Timestamp.getDescriptor().getFullName());
    }

    /** Each type's fields in the order of their numbers, the order the mapping writes them in. */
    private static final Map<Descriptor, List<FieldDescriptor>> BY_NUMBER = new ConcurrentHashMap<>();

    private static List<FieldDescriptor> byNumber(Descriptor type) {
        return type.getFields().stream()
                .sorted(Comparator.comparingInt(FieldDescriptor::getNumber))
                .toList();
    }

    private static void writeMessage(Message message, JsonGenerator out) throws IOException {
        out.writeStartObject();
        for (FieldDescriptor field :
                BY_NUMBER.computeIfAbsent(message.getDescriptorForType(), AnswerJsonMarshaller::byNumber)) {
            if (field.isRepeated()) {
                int count = message.getRepeatedFieldCount(field);
                if (count > 0) {
                    out.writeFieldName(field.getJsonName());
                    out.writeStartArray();
                    for (int i = 0; i < count; i++) {
                        writeValue(field, message.getRepeatedField(field, i), out);
                    }
                    out.writeEndArray();
                }
            } else if (message.hasField(field)) {
                // proto3 fields without presence count as set only when they differ from their default
                out.writeFieldName(field.getJsonName());
                writeValue(field, message.getField(field), out);
            }
        }
        out.writeEndObject();
    }

    private static void writeValue(FieldDescriptor field, Object value, JsonGenerator out) throws IOException {
        switch (field.getType()) {
            case INT32, SINT32, SFIXED32 -> out.writeNumber((int) value);
            case UINT32, FIXED32 -> out.writeNumber(Integer.toUnsignedLong((int) value));
            case INT64, SINT64, SFIXED64 -> out.writeString(Long.toString((long) value));
            case UINT64, FIXED64 -> out.writeString(Long.toUnsignedString((long) value));
            case BOOL -> out.writeBoolean((boolean) value);
            case STRING -> out.writeString((String) value);
            case ENUM -> {
                EnumValueDescriptor given = (EnumValueDescriptor) value;
                EnumValueDescriptor known = given.getType().findValueByNumber(given.getNumber());
                if (known != null) {
                    out.writeString(known.getName());
                } else {
                    out.writeNumber(given.getNumber());
                }
            }
            case MESSAGE -> {
                if (isTimestamp(field.getMessageType())) {
                    out.writeString(timestamp((Timestamp) value));
                } else {
                    writeMessage((Message) value, out);
                }
            }
            default -> throw new IllegalStateException("not written here: " + field.getType());
        }
    }

    /** RFC 3339 in UTC, with 0, 3, 6 or 9 digits of fraction as the JSON mapping prints it. */
    static String timestamp(Timestamp timestamp) {
        long seconds = timestamp.getSeconds();
        int nanos = timestamp.getNanos();
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS || nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("a timestamp out of the range of the JSON mapping");
        }
        LocalDateTime at = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(30);
        digits(text, at.getYear(), 4).append('-');
        digits(text, at.getMonthValue(), 2).append('-');
        digits(text, at.getDayOfMonth(), 2).append('T');
        digits(text, at.getHour(), 2).append(':');
        digits(text, at.getMinute(), 2).append(':');
        digits(text, at.getSecond(), 2);
        if (nanos != 0) {
            text.append('.');
            if (nanos % 1_000_000 == 0) {
                digits(text, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                digits(text, nanos / 1_000, 6);
            } else {
                digits(text, nanos, 9);
            }
        }
        return text.append('Z').toString();
    }

    private static StringBuilder digits(StringBuilder text, int value, int width) {
        String number = Integer.toString(value);
        for (int pad = width - number.length(); pad > 0; pad--) {
            text.append('0');
        }
        return text.append(number);
    }
}
