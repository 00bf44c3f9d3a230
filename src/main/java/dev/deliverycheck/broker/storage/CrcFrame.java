package dev.deliverycheck.broker.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The one frame every durable structure of the broker is written in:
 * {@code [payload length: int][CRC-32C of the payload: int][payload]} (segment batches, the
 * transaction log, producer-state snapshots). A reader trusts a payload only if the whole frame is
 * present and its checksum matches, so a torn write or a flipped bit is detected before any
 * payload byte is interpreted.
 */
public final class CrcFrame {
    /** Frame header: payload length (int) + CRC-32C of the payload (int). */
    public static final int HEADER_BYTES = 8;

    private CrcFrame() {
    }

    /** {@code payload} framed, ready to append. */
    public static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(HEADER_BYTES + payload.length).putInt(payload.length)
                .putInt(crc(payload, 0, payload.length)).put(payload).array();
    }

    /**
     * Completes a frame whose payload of {@code payloadLength} bytes was already written at {@link #HEADER_BYTES}:
     * writes the length and the payload's checksum in front of it (what {@link #frame} does without copying the payload).
     */
    public static void writeHeader(byte[] frame, int payloadLength) {
        ByteBuffer.wrap(frame, 0, HEADER_BYTES).putInt(payloadLength).putInt(crc(frame, HEADER_BYTES, payloadLength));
    }

    public static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** The payload length the frame header at {@code at} declares (not yet checked against anything). */
    public static int declaredLength(byte[] bytes, int at) {
        return ByteBuffer.wrap(bytes, at, 4).getInt();
    }

    /** The checksum the frame header at {@code at} declares. */
    public static int declaredCrc(byte[] bytes, int at) {
        return ByteBuffer.wrap(bytes, at + 4, 4).getInt();
    }

    /**
     * The payload length of the frame at {@code at} if {@code bytes} hold the whole frame there
     * (header and payload, within {@code available} bytes from {@code at}) with a matching
     * checksum; -1 otherwise.
     */
    public static int validPayloadLength(byte[] bytes, int at, int available) {
        if (available < HEADER_BYTES) {
            return -1;
        }
        int length = declaredLength(bytes, at);
        if (length < 0 || length > available - HEADER_BYTES) {
            return -1;
        }
        return crc(bytes, at + HEADER_BYTES, length) == declaredCrc(bytes, at) ? length : -1;
    }
}
