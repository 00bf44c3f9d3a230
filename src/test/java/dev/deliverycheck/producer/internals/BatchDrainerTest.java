package dev.deliverycheck.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BatchDrainerTest {
    /** Broker 0 leads partitions 0 and 2, broker 1 leads 1 and 3, broker 2 leads none. */
    private static final ClusterMetadata METADATA = new ClusterMetadata(List.of(0, 1, 2), Map.of("t", 2, "u", 2));
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);
    private static final TopicPartition U0 = new TopicPartition("u", 0);
    private static final TopicPartition U1 = new TopicPartition("u", 1);
    private static final ProducerEvents EVENTS = new ProducerEvents(100, e -> { });

    private final Map<TopicPartition, Deque<ProducerBatch>> queues = new HashMap<>();
    private final Set<TopicPartition> muted = new HashSet<>();
    private final BatchDrainer drainer = new BatchDrainer(METADATA, queues::get, muted::contains);
    private long nextId;

    /** Queues a batch holding one record of {@code recordBytes} bytes. */
    private ProducerBatch queue(TopicPartition tp, int recordBytes) {
        ProducerBatch batch = new ProducerBatch(tp, 100_000, 0);
        long id = nextId++;
        assertThat(batch.tryAppend(Record.withId(id, 0, null, new byte[recordBytes]),
                new RecordCompletion(id, tp, new CompletableFuture<>(), null, 0, n -> { }))).isTrue();
        queues.computeIfAbsent(tp, p -> new ArrayDeque<>()).addLast(batch);
        return batch;
    }

    private Map<Integer, List<ProducerBatch>> drain(Set<Integer> nodes, int maxRequestSize) {
        return drainer.drain(nodes, maxRequestSize, 0, RecordAccumulator.DrainGate.OPEN, RecordAccumulator.Sequencer.NONE);
    }

    @Test
    void eachBrokerGetsAtMostOneBatchPerPartitionItLeads() {
        ProducerBatch t0a = queue(T0, 10);
        ProducerBatch t0b = queue(T0, 10);
        ProducerBatch t1 = queue(T1, 10);
        ProducerBatch u0 = queue(U0, 10);
        Map<Integer, List<ProducerBatch>> drained = drain(Set.of(0, 1, 2), 1_000_000);
        assertThat(drained).as("broker 2 leads nothing and is left out").containsOnlyKeys(0, 1);
        assertThat(drained.get(0)).containsExactly(t0a, u0);
        assertThat(drained.get(1)).containsExactly(t1);
        assertThat(queues.get(T0)).containsExactly(t0b);
        assertThat(drained.get(0)).allMatch(ProducerBatch::wasDrained);
        assertThat(t0b.wasDrained()).isFalse();
    }

    @Test
    void aRequestStopsAtMaxRequestSizeButAlwaysTakesOneAndTheNextStartsWhereItStopped() {
        ProducerBatch t0 = queue(T0, 800);
        ProducerBatch u0 = queue(U0, 800);
        int oneBatch = t0.sizeInBytes();
        assertThat(drain(Set.of(0), 10).get(0)).as("larger than the limit, but the first always goes").containsExactly(t0);
        assertThat(drain(Set.of(0), oneBatch).get(0)).containsExactly(u0);
        ProducerBatch t0next = queue(T0, 800);
        ProducerBatch u0next = queue(U0, 800);
        assertThat(drain(Set.of(0), oneBatch).get(0)).as("u0 went last, so t0 comes first").containsExactly(t0next);
        assertThat(drain(Set.of(0), 2 * oneBatch).get(0)).containsExactly(u0next);
    }

    @Test
    void batchesThatFillMaxRequestSizeExactlyGoTogether() {
        ProducerBatch t0 = queue(T0, 300);
        ProducerBatch u0 = queue(U0, 500);
        assertThat(drain(Set.of(0), t0.sizeInBytes() + u0.sizeInBytes()).get(0)).containsExactly(t0, u0);
        ProducerBatch t0next = queue(T0, 300);
        ProducerBatch u0next = queue(U0, 500);
        assertThat(drain(Set.of(0), t0next.sizeInBytes() + u0next.sizeInBytes() - 1).get(0)).hasSize(1);
    }

    @Test
    void mutedPartitionsAndBatchesInRetryBackoffStayQueued() {
        ProducerBatch t0 = queue(T0, 10);
        ProducerBatch u0 = queue(U0, 10);
        muted.add(T0);
        u0.reenqueued(0, 100);
        assertThat(drainer.drain(Set.of(0), 1_000_000, 99, RecordAccumulator.DrainGate.OPEN,
                RecordAccumulator.Sequencer.NONE)).isEmpty();
        assertThat(queues.get(T0)).containsExactly(t0);
        assertThat(queues.get(U0)).containsExactly(u0);
        muted.clear();
        assertThat(drainer.drain(Set.of(0), 1_000_000, 100, RecordAccumulator.DrainGate.OPEN,
                RecordAccumulator.Sequencer.NONE).get(0)).containsExactlyInAnyOrder(t0, u0);
    }

    @Test
    void batchesCompletedWhileQueuedAreDroppedAndTheNextOneIsTaken() {
        ProducerBatch expired = queue(T0, 10);
        ProducerBatch next = queue(T0, 10);
        assertThat(expired.fail(new RuntimeException("expired"), EVENTS)).isTrue();
        assertThat(drain(Set.of(0), 1_000_000).get(0)).containsExactly(next);
        assertThat(queues.get(T0)).isEmpty();
        ProducerBatch alone = queue(U0, 10);
        alone.fail(new RuntimeException("expired"), EVENTS);
        assertThat(drain(Set.of(0), 1_000_000)).isEmpty();
        assertThat(queues.get(U0)).isEmpty();
    }

    @Test
    void theGateHoldsABatchBackAndOnlyUnsequencedBatchesAreStamped() {
        ProducerBatch held = queue(T0, 10);
        ProducerBatch fresh = queue(U0, 10);
        ProducerBatch retried = queue(U1, 10);
        retried.setProducerState(new ProducerIdAndEpoch(7, (short) 0), 5, false, 5);
        List<ProducerBatch> stamped = new ArrayList<>();
        RecordAccumulator.Sequencer sequencer = b -> {
            stamped.add(b);
            b.setProducerState(new ProducerIdAndEpoch(7, (short) 0), 9, false, 9);
        };
        Map<Integer, List<ProducerBatch>> drained = drainer.drain(Set.of(0, 1), 1_000_000, 0,
                (first, tp) -> tp.equals(T0), sequencer);
        assertThat(drained.get(0)).containsExactly(fresh);
        assertThat(drained.get(1)).containsExactly(retried);
        assertThat(queues.get(T0)).containsExactly(held);
        assertThat(stamped).containsExactly(fresh);
        assertThat(retried.baseSequence()).as("a retried batch keeps its sequence").isEqualTo(5);
        assertThat(held.hasSequence()).as("held back before stamping").isFalse();
    }
}
