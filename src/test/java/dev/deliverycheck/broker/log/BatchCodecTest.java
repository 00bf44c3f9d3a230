package dev.deliverycheck.broker.log;

import static dev.deliverycheck.broker.log.LogTestData.TP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.broker.storage.CrcFrame;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.RecordBatch;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchCodecTest {

    @Test
    void dataBatchRoundTripsWithEveryHeaderField() throws Exception {
        RecordBatch batch = new RecordBatch(TP, 1001L, (short) 3, Integer.MAX_VALUE - 1, true, null,
                List.of(LogTestData.recordWithNulls(), LogTestData.batch(5, 1).records().get(0)));
        StoredBatch stored = new StoredBatch(42, batch);
        StoredBatch decoded = BatchCodec.decode(BatchCodec.encode(stored), TP);
        assertThat(decoded).isEqualTo(stored);
        assertThat(decoded.batch().records().get(0).key()).isNull();
        assertThat(decoded.batch().records().get(1).recordId()).isEqualTo(5);
        assertThat(BatchCodec.encode(stored)).hasSize(BatchCodec.payloadSize(batch));
    }

    @Test
    void controlBatchRoundTripsAndTakesOneOffset() throws Exception {
        for (ControlType type : ControlType.values()) {
            StoredBatch marker = new StoredBatch(7, RecordBatch.marker(TP, 9, (short) 1, type));
            assertThat(BatchCodec.decode(BatchCodec.encode(marker), TP)).isEqualTo(marker);
            assertThat(marker.lastOffset()).isEqualTo(7);
        }
    }

    @Test
    void frameCarriesLengthAndCrcOfThePayload() {
        StoredBatch stored = new StoredBatch(0, LogTestData.batch(1, 3));
        byte[] frame = BatchCodec.frame(stored);
        byte[] payload = BatchCodec.encode(stored);
        ByteBuffer header = ByteBuffer.wrap(frame);
        assertThat(header.getInt()).isEqualTo(payload.length);
        assertThat(header.getInt()).isEqualTo(CrcFrame.crc(payload, 0, payload.length));
        assertThat(frame).hasSize(payload.length + BatchCodec.FRAME_HEADER_BYTES);
    }

    @Test
    void frameIntoAReusedBufferWritesTheSameFrameAndLeavesTheRestAlone() {
        StoredBatch small = new StoredBatch(0, LogTestData.batch(1, 3));
        StoredBatch large = new StoredBatch(3, LogTestData.batch(4, 9));
        byte[] buffer = new byte[BatchCodec.frame(large).length + 5];
        assertThat(BatchCodec.frameInto(large, BatchCodec.payloadSize(large.batch()), buffer))
                .isEqualTo(BatchCodec.frame(large).length);
        java.util.Arrays.fill(buffer, (byte) 7);
        int n = BatchCodec.frameInto(small, BatchCodec.payloadSize(small.batch()), buffer);
        assertThat(java.util.Arrays.copyOf(buffer, n)).isEqualTo(BatchCodec.frame(small));
        assertThat(buffer[n]).isEqualTo((byte) 7);
        assertThat(buffer[buffer.length - 1]).isEqualTo((byte) 7);
    }

    @Test
    void frameIntoRefusesAWrongPayloadSizeOrAShortBuffer() {
        StoredBatch stored = new StoredBatch(0, LogTestData.batch(1, 3));
        int size = BatchCodec.payloadSize(stored.batch());
        byte[] roomy = new byte[size + 100];
        assertThatThrownBy(() -> BatchCodec.frameInto(stored, size - 1, roomy))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smaller");
        assertThatThrownBy(() -> BatchCodec.frameInto(stored, size + 1, roomy))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larger");
        assertThatThrownBy(() -> BatchCodec.frameInto(stored, size, new byte[size]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buffer");
    }

    @Test
    void everyTruncationOfAValidPayloadIsRejected() {
        byte[] payload = BatchCodec.encode(new StoredBatch(3, LogTestData.batch(1, 4)));
        for (int len = 0; len < payload.length; len++) {
            int n = len;
            assertThatThrownBy(() -> BatchCodec.decode(payload, 0, n, TP)).isInstanceOf(CorruptBatchException.class);
        }
    }

    @Test
    void bogusCountsAndLengthsAreRejectedWithoutHugeAllocations() {
        byte[] payload = BatchCodec.encode(new StoredBatch(0, LogTestData.batch(1, 1)));
        // record count sits after magic(1) offset(8) pid(8) epoch(2) seq(4) flags(1) control(1)
        ByteBuffer.wrap(payload).putInt(25, Integer.MAX_VALUE);
        assertThatThrownBy(() -> BatchCodec.decode(payload, TP)).isInstanceOf(CorruptBatchException.class)
                .hasMessageContaining("record count");
        byte[] payload2 = BatchCodec.encode(new StoredBatch(0, LogTestData.batch(1, 1)));
        // key length of the first record, after its timestamp
        ByteBuffer.wrap(payload2).putInt(29 + 8, Integer.MAX_VALUE - 3);
        assertThatThrownBy(() -> BatchCodec.decode(payload2, TP)).isInstanceOf(CorruptBatchException.class)
                .hasMessageContaining("does not fit");
    }

    @Test
    void randomGarbageOnlyEverThrowsCorruptBatchException() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] valid = BatchCodec.encode(new StoredBatch(0, LogTestData.batch(1, 3)));
        int decodedCount = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(200)];
                random.nextBytes(input);
                if (input.length > 0) {
                    input[0] = BatchCodec.MAGIC;
                }
            } else {
                input = valid.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                BatchCodec.decode(input, TP);
                decodedCount++;
            } catch (CorruptBatchException expected) {
                // the only acceptable failure
            }
        }
        // flips inside record values still decode (that is what the CRC is for); the rest must not crash
        assertThat(decodedCount).isGreaterThan(0);
    }

    @Test
    void unknownMagicFlagsAndControlTypesAreRejected() {
        byte[] payload = BatchCodec.encode(new StoredBatch(0, LogTestData.batch(1, 1)));
        byte[] badMagic = payload.clone();
        badMagic[0] = 9;
        assertThatThrownBy(() -> BatchCodec.decode(badMagic, TP)).hasMessageContaining("magic");
        byte[] badFlags = payload.clone();
        badFlags[23] = 8;
        assertThatThrownBy(() -> BatchCodec.decode(badFlags, TP)).hasMessageContaining("flags");
        byte[] badControl = BatchCodec.encode(new StoredBatch(0, RecordBatch.marker(TP, 1, (short) 0, ControlType.ABORT)));
        badControl[24] = 5;
        assertThatThrownBy(() -> BatchCodec.decode(badControl, TP)).hasMessageContaining("control type");
        byte[] trailing = java.util.Arrays.copyOf(payload, payload.length + 1);
        assertThatThrownBy(() -> BatchCodec.decode(trailing, TP)).hasMessageContaining("trailing");
    }
}
