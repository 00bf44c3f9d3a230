package dev.deliverycheck.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.protocol.Header;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The producer sizes batches with {@link Record#sizeInBytes()} and the broker limits them by
 * their encoded size: the estimate must be exact per record and never below the encoding, or
 * a batch filled to batch.size = message.max.bytes would be refused (found by the bench).
 */
class RecordSizeTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    @Test
    void recordSizeIsExactlyWhatTheCodecWritesPerRecord() {
        Record plain = new Record(1L, "k".getBytes(StandardCharsets.UTF_8), new byte[100], List.of());
        Record withId = Record.withId(7L, 2L, null, new byte[100]);
        Record unicodeHeader = new Record(3L, null, null, List.of(new Header("clé-ü", new byte[3]), new Header("n", null)));
        int empty = BatchCodec.payloadSize(RecordBatch.plain(TP, List.of()));
        for (Record r : List.of(plain, withId, unicodeHeader)) {
            int encoded = BatchCodec.payloadSize(RecordBatch.plain(TP, List.of(r))) - empty;
            assertThat(r.sizeInBytes()).as("size of %s", r).isEqualTo(encoded);
        }
    }

    @Test
    void batchSizeEstimateNeverUnderestimatesTheEncoding() {
        List<Record> records = List.of(Record.withId(1, 0, "a".getBytes(StandardCharsets.UTF_8), new byte[50]),
                Record.withId(2, 0, null, new byte[0]));
        RecordBatch batch = RecordBatch.plain(TP, records);
        assertThat(batch.sizeInBytes()).isGreaterThanOrEqualTo(BatchCodec.payloadSize(batch));
    }
}
