package dev.admit.projection;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Rows in the binary format of PostgreSQL's {@code COPY … FROM STDIN WITH (FORMAT binary)}: a header, then per row
 * its field count and each field as a length and the value's send format, then a trailer. The server takes values
 * as they are instead of parsing text, which made the rebuild's {@code COPY} of new rows about two fifths cheaper in
 * the database than the text format, and the client writes no timestamps or escapes.
 */
final class BinaryCopyRows {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    /** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z, where its timestamps count from. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    /** The type of {@code text}, as an array's element type names it. */
    private static final int TEXT_OID = 25;

    private byte[] buffer;
    private int length;
    private boolean ended;

    BinaryCopyRows(int expectedBytes) {
        buffer = new byte[Math.max(expectedBytes, 64)];
        put(SIGNATURE, 0, SIGNATURE.length);
        int32(0); // flags: no object ids
        int32(0); // no header extension
    }

    /** Starts a row of {@code fields} values, to be written in the table's column order of the statement. */
    BinaryCopyRows row(int fields) {
        int16(fields);
        return this;
    }

    BinaryCopyRows text(String value) {
        if (value == null) {
            return nul();
        }
        int start = length;
        int32(0);
        int bytes = utf8(value);
        writeInt(start, bytes);
        return this;
    }

    BinaryCopyRows bool(boolean value) {
        int32(1);
        ensure(1);
        buffer[length++] = (byte) (value ? 1 : 0);
        return this;
    }

    BinaryCopyRows int8(long value) {
        int32(8);
        int64(value);
        return this;
    }

    /** A {@code timestamptz} given in microseconds since the Unix epoch; null for none. */
    BinaryCopyRows timestamp(Long epochMicros) {
        if (epochMicros == null) {
            return nul();
        }
        int32(8);
        int64(epochMicros - POSTGRES_EPOCH_MICROS);
        return this;
    }

    /** A one-dimensional {@code text[]} of the elements in their order; none gives the empty array. */
    BinaryCopyRows textArray(List<String> elements) {
        int start = length;
        int32(0);
        int32(elements.isEmpty() ? 0 : 1); // dimensions
        int32(0); // no null elements
        int32(TEXT_OID);
        if (!elements.isEmpty()) {
            int32(elements.size());
            int32(1); // lower bound
            for (String element : elements) {
                text(element);
            }
        }
        writeInt(start, length - start - 4);
        return this;
    }

    BinaryCopyRows nul() {
        int32(-1);
        return this;
    }

    /** The whole stream, trailer included; no rows can be added after. */
    byte[] end() {
        if (!ended) {
            int16(-1);
            ended = true;
        }
        return Arrays.copyOf(buffer, length);
    }

    /** Writes the string's UTF-8 bytes and returns how many; ASCII, the usual case, is written as it is. */
    private int utf8(String value) {
        int count = value.length();
        ensure(count);
        int at = length;
        for (int i = 0; i < count; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
                length = at;
                put(encoded, 0, encoded.length);
                return encoded.length;
            }
            buffer[length++] = (byte) c;
        }
        return count;
    }

    private void int16(int value) {
        ensure(2);
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    private void int32(int value) {
        ensure(4);
        writeInt(length, value);
        length += 4;
    }

    private void int64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[length++] = (byte) (value >>> shift);
        }
    }

    private void writeInt(int at, int value) {
        buffer[at] = (byte) (value >>> 24);
        buffer[at + 1] = (byte) (value >>> 16);
        buffer[at + 2] = (byte) (value >>> 8);
        buffer[at + 3] = (byte) value;
    }

    private void put(byte[] bytes, int from, int count) {
        ensure(count);
        System.arraycopy(bytes, from, buffer, length, count);
        length += count;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
