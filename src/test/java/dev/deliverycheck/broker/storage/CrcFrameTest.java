package dev.deliverycheck.broker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CrcFrameTest {
    private static final byte[] PAYLOAD = "seven batches".getBytes(StandardCharsets.UTF_8);

    @Test
    void aFrameIsLengthThenCrc32cThenThePayload() {
        byte[] frame = CrcFrame.frame(PAYLOAD);
        ByteBuffer buf = ByteBuffer.wrap(frame);
        assertThat(buf.getInt()).isEqualTo(PAYLOAD.length);
        // CRC-32C (Castagnoli) of "123456789" is 0xE3069283, the standard check value
        assertThat(CrcFrame.crc("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9)).isEqualTo(0xE3069283);
        assertThat(buf.getInt()).isEqualTo(CrcFrame.crc(PAYLOAD, 0, PAYLOAD.length));
        assertThat(Arrays.copyOfRange(frame, CrcFrame.HEADER_BYTES, frame.length)).isEqualTo(PAYLOAD);
        assertThat(CrcFrame.validPayloadLength(frame, 0, frame.length)).isEqualTo(PAYLOAD.length);
    }

    @Test
    void aTornOrFlippedFrameIsNotValid() {
        byte[] frame = CrcFrame.frame(PAYLOAD);
        for (int available = 0; available < frame.length; available++) {
            assertThat(CrcFrame.validPayloadLength(frame, 0, available)).as("cut to %d bytes", available).isEqualTo(-1);
        }
        for (int i = 0; i < frame.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = frame.clone();
                flipped[i] ^= (byte) (1 << bit);
                assertThat(CrcFrame.validPayloadLength(flipped, 0, flipped.length))
                        .as("bit %d of byte %d flipped", bit, i).isEqualTo(-1);
            }
        }
    }

    @Test
    void framesAreReadAtAnyPositionOfABuffer() {
        byte[] first = CrcFrame.frame(new byte[] {1, 2, 3});
        byte[] second = CrcFrame.frame(PAYLOAD);
        byte[] both = ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();
        assertThat(CrcFrame.validPayloadLength(both, 0, both.length)).isEqualTo(3);
        assertThat(CrcFrame.declaredLength(both, first.length)).isEqualTo(PAYLOAD.length);
        assertThat(CrcFrame.validPayloadLength(both, first.length, second.length)).isEqualTo(PAYLOAD.length);
        assertThat(CrcFrame.validPayloadLength(new byte[] {0, 0, 0, 0, 0, 0, 0, 0}, 0, 8))
                .as("an empty payload has CRC 0").isZero();
        assertThat(CrcFrame.validPayloadLength(new byte[] {-1, -1, -1, -1, 0, 0, 0, 0}, 0, 8))
                .as("a negative length").isEqualTo(-1);
    }
}
