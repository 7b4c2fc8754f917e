package dev.admit.api.server.armeria;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import dev.admit.wire.object.v2.Details;
import dev.admit.wire.user.v2.AddHumanUserRequest;
import dev.admit.wire.user.v2.SetMetadataEntry;
import dev.admit.wire.user.v2.UserServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnswerJsonMarshallerTest {

    private static final GrpcJsonMarshaller STANDARD = GrpcJsonMarshaller.of(UserServiceGrpc.getServiceDescriptor());
    private static final AnswerJsonMarshaller ANSWERS = new AnswerJsonMarshaller(STANDARD);

    private static final List<String> TEXTS = List.of(
            "",
            "a",
            "O'Brien \"quoted\" back\\slash",
            "tab\tnew\nline\u0000\u001f",
            "é ß 漢字",
            "😀 smile",
            "</script><b>",
            "a=b&c='d'",
            "\u2028\u2029",
            "user@example.com",
            "x".repeat(300));

    @Test
    void every_answer_of_the_user_service_is_written_byte_for_byte_as_the_default_marshaller_writes_it()
            throws IOException {
        Random random = new Random(20261126);
        int compared = 0;
        for (MethodDescriptor<?, ?> method :
                UserServiceGrpc.getServiceDescriptor().getMethods()) {
            Marshaller<?> responses = method.getResponseMarshaller();
            Message prototype = (Message) ((PrototypeMarshaller<?>) responses).getMessagePrototype();
            for (int round = 0; round < 300; round++) {
                Message answer = filled(prototype.newBuilderForType(), random, 0);
                assertThat(json(ANSWERS, responses, answer))
                        .as("%s %s", method.getFullMethodName(), answer)
                        .isEqualTo(json(STANDARD, responses, answer));
                compared++;
            }
            assertThat(ANSWERS.writes(prototype.getDescriptorForType()))
                    .as("%s is written by Admit's marshaller", method.getFullMethodName())
                    .isTrue();
        }
        assertThat(compared).isGreaterThan(1_000);
    }

    @Test
    void types_it_does_not_write_go_to_the_default_marshaller() {
        assertThat(ANSWERS.writes(SetMetadataEntry.getDescriptor())).isFalse();
        assertThat(ANSWERS.writes(AddHumanUserRequest.getDescriptor())).isFalse();
        assertThat(ANSWERS.writes(Details.getDescriptor())).isTrue();
    }

    @Test
    void a_timestamp_is_written_in_utc_with_as_many_fraction_digits_as_it_needs() {
        assertThat(AnswerJsonMarshaller.timestamp(at(0, 0))).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(AnswerJsonMarshaller.timestamp(at(1_795_689_059L, 716_000_000)))
                .isEqualTo("2026-11-26T10:30:59.716Z");
        assertThat(AnswerJsonMarshaller.timestamp(at(-1, 1_000))).isEqualTo("1969-12-31T23:59:59.000001Z");
        assertThat(AnswerJsonMarshaller.timestamp(at(0, 1))).isEqualTo("1970-01-01T00:00:00.000000001Z");
        assertThat(AnswerJsonMarshaller.timestamp(at(-62_135_596_800L, 0))).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(AnswerJsonMarshaller.timestamp(at(253_402_300_799L, 999_999_999)))
                .isEqualTo("9999-12-31T23:59:59.999999999Z");
    }

    @Test
    void a_timestamp_outside_the_json_mappings_range_is_refused() {
        assertThatThrownBy(() -> AnswerJsonMarshaller.timestamp(at(253_402_300_800L, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnswerJsonMarshaller.timestamp(at(0, -1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Timestamp at(long seconds, int nanos) {
        return Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
    }

    @SuppressWarnings("unchecked")
    private static <T> String json(GrpcJsonMarshaller marshaller, Marshaller<T> type, Message message)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        marshaller.serializeMessage(type, (T) message, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A message with each field left unset, set to its default, or set to a random value (depth-limited). */
    private static Message filled(Message.Builder builder, Random random, int depth) {
        for (FieldDescriptor field : builder.getDescriptorForType().getFields()) {
            int choice = random.nextInt(4);
            if (choice == 0 || (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth > 3)) {
                continue;
            }
            if (field.isRepeated()) {
                for (int i = random.nextInt(4); i > 0; i--) {
                    builder.addRepeatedField(field, value(builder, field, random, depth));
                }
            } else {
                builder.setField(field, choice == 1 ? defaultOf(builder, field) : value(builder, field, random, depth));
            }
        }
        return builder.build();
    }

    private static Object defaultOf(Message.Builder builder, FieldDescriptor field) {
        return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                ? builder.newBuilderForField(field).build()
                : field.getDefaultValue();
    }

    private static Object value(Message.Builder builder, FieldDescriptor field, Random random, int depth) {
        return switch (field.getJavaType()) {
            case INT -> random.nextBoolean() ? random.nextInt() : random.nextInt(100);
            case LONG -> random.nextBoolean() ? random.nextLong() : (long) random.nextInt(100);
            case BOOLEAN -> random.nextBoolean();
            case STRING -> TEXTS.get(random.nextInt(TEXTS.size()));
            case ENUM -> {
                EnumDescriptor type = field.getEnumType();
                yield random.nextInt(5) == 0
                        ? type.findValueByNumberCreatingIfUnknown(1_000 + random.nextInt(100))
                        : type.getValues().get(random.nextInt(type.getValues().size()));
            }
            case MESSAGE ->
                field.getMessageType().getFullName().equals("google.protobuf.Timestamp")
                        ? randomTimestamp(random)
                        : filled(builder.newBuilderForField(field), random, depth + 1);
            case FLOAT -> random.nextFloat();
            case DOUBLE -> random.nextDouble();
            case BYTE_STRING -> com.google.protobuf.ByteString.copyFromUtf8(TEXTS.get(random.nextInt(TEXTS.size())));
        };
    }

    /**
     * From 1970 on: the default marshaller checks a timestamp by the rules of a duration, and so refuses one before
     * 1970 with a fraction of a second (Admit writes it; see the timestamp test) and has no year 0001 to compare.
     */
    private static Timestamp randomTimestamp(Random random) {
        long seconds = (long) (random.nextDouble() * 253_402_300_799L);
        int nanos = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
        return at(seconds, nanos);
    }
}
