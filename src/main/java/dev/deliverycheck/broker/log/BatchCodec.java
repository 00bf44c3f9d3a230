package dev.deliverycheck.broker.log;

import dev.deliverycheck.broker.storage.CrcFrame;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.Header;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of a {@link StoredBatch} and of its frame {@code [length][CRC-32C][payload]}.
 *
 * <p>Payload: magic, base offset, producer id, epoch, base sequence, flags (transactional,
 * control), control type, record count, then per record timestamp, key, value and headers
 * (byte arrays as {@code int length} + bytes, {@code -1} for null). The topic partition is not
 * stored: a log knows its own.
 *
 * <p>Decoding is total: any input either decodes to exactly the batch that was encoded or throws
 * {@link CorruptBatchException}. Every length and count is checked against the bytes that are
 * actually left before anything is allocated, so a bogus length can never cause a huge allocation.
 */
public final class BatchCodec {
    /** Frame header: payload length (int) + CRC-32C of the payload (int); see {@link CrcFrame}. */
    public static final int FRAME_HEADER_BYTES = CrcFrame.HEADER_BYTES;
    static final byte MAGIC = 1;
    private static final int FIXED_PAYLOAD_BYTES = 1 + 8 + 8 + 2 + 4 + 1 + 1 + 4;
    /** timestamp + key length + value length + header count. */
    private static final int MIN_RECORD_BYTES = 8 + 4 + 4 + 4;
    private static final int MIN_HEADER_BYTES = 4 + 4;

    private static final byte FLAG_TRANSACTIONAL = 1;
    private static final byte FLAG_CONTROL = 2;

    private BatchCodec() {
    }

    /** The payload bytes of a batch. */
    public static byte[] encode(StoredBatch stored) {
        ByteBuffer buf = ByteBuffer.allocate(payloadSize(stored.batch()));
        put(buf, stored);
        return buf.array();
    }

    /**
     * The frame {@code [length][crc][payload]} of a batch, ready to append to a segment: the payload is written once,
     * straight after the frame header (the same bytes as {@code CrcFrame.frame(encode(stored))}, one allocation).
     */
    public static byte[] frame(StoredBatch stored) {
        int payloadSize = payloadSize(stored.batch());
        byte[] frame = new byte[FRAME_HEADER_BYTES + payloadSize];
        frameInto(stored, payloadSize, frame);
        return frame;
    }

    /**
     * Writes the frame of {@link #frame(StoredBatch)}, whose {@link #payloadSize} the caller already knows, at the
     * start of {@code buffer} (at least {@code FRAME_HEADER_BYTES + payloadSize} long; the bytes after the frame are
     * left as they were), so a writer can reuse one buffer for every batch.
     *
     * @return the frame's length
     * @throws IllegalArgumentException if {@code payloadSize} is not the batch's payload size or the buffer is short
     */
    public static int frameInto(StoredBatch stored, int payloadSize, byte[] buffer) {
        int frameBytes = FRAME_HEADER_BYTES + payloadSize;
        if (buffer.length < frameBytes) {
            throw new IllegalArgumentException("buffer of " + buffer.length + " bytes for a frame of " + frameBytes);
        }
        ByteBuffer buf = ByteBuffer.wrap(buffer, 0, frameBytes);
        buf.position(FRAME_HEADER_BYTES);
        try {
            put(buf, stored);
        } catch (BufferOverflowException e) {
            throw new IllegalArgumentException("payload size " + payloadSize + " is smaller than the batch's", e);
        }
        if (buf.hasRemaining()) {
            throw new IllegalArgumentException("payload size " + payloadSize + " is larger than the batch's ("
                    + (buf.position() - FRAME_HEADER_BYTES) + ")");
        }
        CrcFrame.writeHeader(buffer, payloadSize);
        return frameBytes;
    }

    private static void put(ByteBuffer buf, StoredBatch stored) {
        RecordBatch b = stored.batch();
        buf.put(MAGIC);
        buf.putLong(stored.baseOffset());
        buf.putLong(b.producerId());
        buf.putShort(b.producerEpoch());
        buf.putInt(b.baseSequence());
        buf.put((byte) ((b.transactional() ? FLAG_TRANSACTIONAL : 0) | (b.isControl() ? FLAG_CONTROL : 0)));
        buf.put((byte) (b.isControl() ? b.controlType().ordinal() : 0));
        buf.putInt(b.recordCount());
        // Indexed loops (the lists are random access): no iterator per batch and per record on the broker's hot path.
        List<Record> records = b.records();
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            buf.putLong(r.timestamp());
            putBytes(buf, r.key());
            putBytes(buf, r.value());
            List<Header> headers = r.headers();
            buf.putInt(headers.size());
            for (int k = 0; k < headers.size(); k++) {
                Header h = headers.get(k);
                putUtf8(buf, h.key());
                putBytes(buf, h.value());
            }
        }
    }

    /** Encoded payload size of a batch, without building it. */
    public static int payloadSize(RecordBatch batch) {
        int size = FIXED_PAYLOAD_BYTES;
        List<Record> records = batch.records();
        for (int i = 0; i < records.size(); i++) {
            size += recordSize(records.get(i));
        }
        return size;
    }

    /**
     * Decodes a payload.
     *
     * @throws CorruptBatchException if the bytes are not exactly one well-formed batch
     */
    public static StoredBatch decode(byte[] payload, TopicPartition tp) throws CorruptBatchException {
        return decode(payload, 0, payload.length, tp);
    }

    public static StoredBatch decode(byte[] bytes, int offset, int length, TopicPartition tp)
            throws CorruptBatchException {
        if (offset < 0 || length < 0 || offset + (long) length > bytes.length) {
            throw new CorruptBatchException("payload range outside the buffer");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, offset, length).slice();
        require(buf, FIXED_PAYLOAD_BYTES, "batch header");
        byte magic = buf.get();
        if (magic != MAGIC) {
            throw new CorruptBatchException("unknown magic " + magic);
        }
        long baseOffset = buf.getLong();
        long producerId = buf.getLong();
        short epoch = buf.getShort();
        int baseSequence = buf.getInt();
        byte flags = buf.get();
        byte controlOrdinal = buf.get();
        int count = buf.getInt();
        if (baseOffset < 0) {
            throw new CorruptBatchException("negative base offset " + baseOffset);
        }
        if ((flags & ~(FLAG_TRANSACTIONAL | FLAG_CONTROL)) != 0) {
            throw new CorruptBatchException("unknown flags " + flags);
        }
        ControlType control = null;
        if ((flags & FLAG_CONTROL) != 0) {
            if (controlOrdinal < 0 || controlOrdinal >= ControlType.values().length) {
                throw new CorruptBatchException("unknown control type " + controlOrdinal);
            }
            control = ControlType.values()[controlOrdinal];
        } else if (controlOrdinal != 0) {
            throw new CorruptBatchException("control type set on a data batch");
        }
        if (count < 0 || count > buf.remaining() / MIN_RECORD_BYTES) {
            throw new CorruptBatchException("record count " + count + " does not fit in " + buf.remaining() + " bytes");
        }
        List<Record> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            require(buf, MIN_RECORD_BYTES, "record " + i);
            long timestamp = buf.getLong();
            byte[] key = getBytes(buf, "key of record " + i);
            byte[] value = getBytes(buf, "value of record " + i);
            require(buf, 4, "header count");
            int headerCount = buf.getInt();
            if (headerCount < 0 || headerCount > buf.remaining() / MIN_HEADER_BYTES) {
                throw new CorruptBatchException("header count " + headerCount + " does not fit");
            }
            List<Header> headers = new ArrayList<>(headerCount);
            for (int h = 0; h < headerCount; h++) {
                byte[] hk = getBytes(buf, "header key");
                if (hk == null) {
                    throw new CorruptBatchException("null header key");
                }
                headers.add(new Header(new String(hk, StandardCharsets.UTF_8), getBytes(buf, "header value")));
            }
            records.add(new Record(timestamp, key, value, headers));
        }
        if (buf.hasRemaining()) {
            throw new CorruptBatchException(buf.remaining() + " trailing bytes after the last record");
        }
        RecordBatch batch = new RecordBatch(tp, producerId, epoch, baseSequence,
                (flags & FLAG_TRANSACTIONAL) != 0, control, records);
        return new StoredBatch(baseOffset, batch);
    }

    private static int recordSize(Record r) {
        int size = MIN_RECORD_BYTES + length(r.key()) + length(r.value());
        List<Header> headers = r.headers();
        for (int k = 0; k < headers.size(); k++) {
            Header h = headers.get(k);
            size += MIN_HEADER_BYTES + Record.utf8Length(h.key()) + length(h.value());
        }
        return size;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    /**
     * A string as {@code int length} + its UTF-8 bytes; an ASCII string (every header key deliverycheck writes) is
     * copied char by char instead of being encoded into a new array first.
     */
    private static void putUtf8(ByteBuffer buf, String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                putBytes(buf, s.getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        buf.putInt(n);
        for (int i = 0; i < n; i++) {
            buf.put((byte) s.charAt(i));
        }
    }

    private static void putBytes(ByteBuffer buf, byte[] bytes) {
        if (bytes == null) {
            buf.putInt(-1);
        } else {
            buf.putInt(bytes.length);
            buf.put(bytes);
        }
    }

    private static byte[] getBytes(ByteBuffer buf, String what) throws CorruptBatchException {
        require(buf, 4, what);
        int len = buf.getInt();
        if (len == -1) {
            return null;
        }
        if (len < -1 || len > buf.remaining()) {
            throw new CorruptBatchException("length " + len + " of " + what + " does not fit in " + buf.remaining() + " bytes");
        }
        byte[] bytes = new byte[len];
        buf.get(bytes);
        return bytes;
    }

    private static void require(ByteBuffer buf, int bytes, String what) throws CorruptBatchException {
        if (buf.remaining() < bytes) {
            throw new CorruptBatchException("truncated " + what + ": need " + bytes + " bytes, have " + buf.remaining());
        }
    }
}
