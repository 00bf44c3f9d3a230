package dev.deliverycheck.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only what happens inside the measurement window counts. */
class RecorderTest {
    private long now;

    private Recorder recorder(boolean transactional) {
        // window [1 s, 3 s)
        return new Recorder(() -> now, 1_000_000_000L, 3_000_000_000L, 2, transactional);
    }

    private static ProduceRequest request(int records) {
        List<Record> rs = new java.util.ArrayList<>();
        for (int i = 0; i < records; i++) {
            rs.add(Record.withId(i, 0, null, new byte[10]));
        }
        return new ProduceRequest(1, null, (short) -1, 1000, List.of(RecordBatch.plain(new TopicPartition("t", 0), rs)));
    }

    @Test
    void latencyCountsRecordsSentInTheWindowAndThroughputAcksArrivingInIt() {
        Recorder r = recorder(false);
        r.completed(500_000_000L, 1_500_000_000L, null);   // sent before: only its ack counts for throughput
        r.completed(1_000_000_000L, 1_002_000_000L, null); // 2 ms, inside
        r.completed(2_999_000_000L, 3_001_000_000L, null); // sent inside, acked after
        r.completed(2_000_000_000L, 2_001_000_000L, new RuntimeException("boom"));
        Measurement res = r.result();
        assertThat(res.acked()).isEqualTo(2);
        assertThat(res.failed()).isEqualTo(1);
        assertThat(res.firstFailure()).contains("boom");
        assertThat(res.recordsPerSecond()).isEqualTo(1.0); // two acks in a 2 s window
        assertThat(res.latencyUs().getMinValue()).isEqualTo(2000);
        assertThat(res.latencyUs().getMaxValue()).isEqualTo(2000);
    }

    @Test
    void blockedTimeIsClippedToTheWindow() {
        Recorder r = recorder(false);
        r.blocked(500_000_000L, 1_500_000_000L);
        r.blocked(2_500_000_000L, 4_000_000_000L);
        assertThat(r.result().blockedSeconds()).isEqualTo(1.0);
        assertThat(r.result().blockedShare()).isEqualTo(0.5);
    }

    @Test
    void produceRequestsAreCountedPerBrokerOnlyInsideTheWindow() {
        Recorder r = recorder(false);
        now = 100;
        r.onSend(100, 0, request(5));
        now = 1_500_000_000L;
        r.onSend(100, 0, request(3));
        r.onSend(100, 1, request(1));
        r.onSend(0, 100, request(7)); // to a producer: not a Produce request to a broker
        Measurement res = r.result();
        assertThat(res.requests()).isEqualTo(2);
        assertThat(res.batches()).isEqualTo(2);
        assertThat(res.records()).isEqualTo(4);
        assertThat(res.recordsPerBroker()).containsExactly(3, 1);
        assertThat(res.shareOfBroker(0)).isEqualTo(0.75);
        assertThat(res.meanRecordsPerBatch()).isEqualTo(2.0);
    }

    @Test
    void transactionalThroughputCountsCommittedRecords() {
        Recorder r = recorder(true);
        r.completed(1_100_000_000L, 1_200_000_000L, null);
        r.committed(10, 1_300_000_000L);
        r.committed(10, 3_300_000_000L);
        assertThat(r.result().recordsPerSecond()).isEqualTo(5.0);
    }
}
