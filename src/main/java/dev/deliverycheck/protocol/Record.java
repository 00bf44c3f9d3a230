package dev.deliverycheck.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * One record inside a {@link RecordBatch}: serialized key and value, a timestamp and headers.
 *
 * <p>deliverycheck gives every record it sends a unique id so duplicates and losses are
 * visible in the log. The id travels in the header {@value #ID_HEADER} (8 bytes, big endian),
 * exactly as an application would carry an idempotency key; {@link #recordId()} reads it.
 */
public record Record(long timestamp, byte[] key, byte[] value, List<Header> headers) {
    /** Name of the header carrying deliverycheck's unique record id. */
    public static final String ID_HEADER = "dc.id";
    /** Returned by {@link #recordId()} for a record without an id header. */
    public static final long NO_ID = -1L;

    public Record {
        headers = List.copyOf(headers);
    }

    /** A record tagged with deliverycheck's unique id. */
    public static Record withId(long recordId, long timestamp, byte[] key, byte[] value) {
        return new Record(timestamp, key, value, List.of(idHeader(recordId)));
    }

    public static Header idHeader(long recordId) {
        return new Header(ID_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(recordId).array());
    }

    /** The unique id from the {@value #ID_HEADER} header, or {@link #NO_ID}. */
    public long recordId() {
        for (Header h : headers) {
            if (h.key().equals(ID_HEADER) && h.value() != null && h.value().length == Long.BYTES) {
                return ByteBuffer.wrap(h.value()).getLong();
            }
        }
        return NO_ID;
    }

    /**
     * Size of the record as stored: timestamp, key and value with their lengths, the header count,
     * and each header's key (UTF-8) and value with their lengths. Used for batch.size,
     * buffer.memory and max.request.size accounting, so it must not underestimate what the broker
     * writes, or a full batch would exceed message.max.bytes.
     */
    public int sizeInBytes() {
        int size = 8 + 4 + 4 + 4 + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header h : headers) {
            size += 4 + 4 + utf8Length(h.key()) + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    /** {@code s.getBytes(UTF_8).length} without the copy (sizes are computed several times per record sent). */
    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1; // an unpaired surrogate: the encoder writes '?'
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r && timestamp == r.timestamp && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value) && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(timestamp) + Arrays.hashCode(key)) + Arrays.hashCode(value);
    }
}
