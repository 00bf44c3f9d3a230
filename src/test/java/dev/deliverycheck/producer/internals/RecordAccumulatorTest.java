package dev.deliverycheck.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.testkit.ScriptedRandom;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class RecordAccumulatorTest {
    private static final ClusterMetadata TWO_BROKERS = ClusterMetadata.of(2, "t", 4);
    /** Every broker has a free in-flight slot. */
    private static final IntPredicate ANY_BROKER = broker -> true;
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final TopicPartition P2 = new TopicPartition("t", 2);
    private static final ProducerEvents EVENTS = new ProducerEvents(100, e -> { });
    private long nextId;

    private static RecordAccumulator accumulator(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("linger.ms", 10);
        m.put("batch.size", 1000);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return new RecordAccumulator(ProducerConfig.of(m), TWO_BROKERS, new ScriptedRandom());
    }

    /** A record of exactly {@code size} bytes in a batch. */
    private Record record(int size) {
        Record probe = Record.withId(nextId, 0, null, new byte[0]);
        return Record.withId(nextId++, 0, null, new byte[size - probe.sizeInBytes()]);
    }

    private RecordCompletion completion(TopicPartition tp) {
        return new RecordCompletion(nextId, tp, new CompletableFuture<>(), null, 0, n -> { });
    }

    private RecordAccumulator.AppendResult append(RecordAccumulator acc, TopicPartition tp, int size, long now) {
        return acc.tryAppend(tp, record(size), completion(tp), now);
    }

    private static Map<Integer, List<ProducerBatch>> drainAll(RecordAccumulator acc, Set<Integer> nodes, int max, long now) {
        return acc.drain(nodes, max, now, RecordAccumulator.DrainGate.OPEN, RecordAccumulator.Sequencer.NONE);
    }

    @Test
    void recordsShareABatchUntilItIsFull() {
        RecordAccumulator acc = accumulator();
        int room = 1000 - ProducerBatch.BATCH_OVERHEAD;
        assertThat(append(acc, P0, 300, 0).newBatchCreated()).isTrue();
        RecordAccumulator.AppendResult second = append(acc, P0, 300, 0);
        assertThat(second.newBatchCreated()).isFalse();
        assertThat(second.batchIsFull()).isFalse();
        RecordAccumulator.AppendResult third = append(acc, P0, room - 600, 0);
        assertThat(third.batchIsFull()).as("filled to batch.size").isTrue();
        RecordAccumulator.AppendResult fourth = append(acc, P0, 50, 0);
        assertThat(fourth.newBatchCreated()).isTrue();
        assertThat(fourth.batchIsFull()).as("a second batch waits behind").isTrue();
        assertThat(acc.queueSize(P0)).isEqualTo(2);
    }

    @Test
    void aRecordLargerThanBatchSizeGetsABatchOfItsOwn() {
        RecordAccumulator acc = accumulator();
        append(acc, P0, 5000, 0);
        assertThat(acc.bufferPool().availableMemory()).isEqualTo(33554432L - 5000 - ProducerBatch.BATCH_OVERHEAD);
        assertThat(acc.wouldCreateNewBatch(P0, record(50))).isTrue();
    }

    @Test
    void aPartitionIsReadyWhenLingerExpiresNotBefore() {
        RecordAccumulator acc = accumulator();
        append(acc, P0, 100, 0);
        assertThat(acc.ready(9, false)).isEmpty();
        assertThat(acc.ready(10, false)).containsExactly(0);
        assertThat(acc.nextSendableMs(0)).isEqualTo(10);
        assertThat(acc.nextSendableMs(10)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aFullBatchIsReadyAtOnce() {
        RecordAccumulator acc = accumulator();
        append(acc, P1, 600, 0);
        append(acc, P1, 600, 0);
        assertThat(acc.ready(0, false)).containsExactly(1);
    }

    @Test
    void flushCloseMemoryPressureAndCompletingTransactionsMakeEverythingReady() {
        RecordAccumulator acc = accumulator();
        append(acc, P0, 100, 0);
        acc.setFlushing(true);
        assertThat(acc.ready(0, false)).containsExactly(0);
        acc.setFlushing(false);
        acc.setClosing(true);
        assertThat(acc.ready(0, false)).containsExactly(0);
        acc.setClosing(false);
        assertThat(acc.ready(0, true)).containsExactly(0);
        acc.memoryWaiters().add(new MemoryWaiter(P2, record(50), completion(P2), false, 0, 100));
        assertThat(acc.ready(0, false)).containsExactly(0);
    }

    @Test
    void exhaustedMemoryRefusesNewBatchesUntilABatchIsDeallocated() {
        RecordAccumulator acc = accumulator("buffer.memory", 2000);
        append(acc, P0, 100, 0);
        append(acc, P1, 100, 0);
        assertThat(acc.bufferPool().availableMemory()).isZero();
        assertThat(append(acc, P2, 100, 0)).isNull();
        assertThat(append(acc, P0, 100, 0)).as("room left in an open batch needs no memory").isNotNull();
        ProducerBatch drained = drainAll(acc, Set.of(0), 1_000_000, 10).get(0).get(0);
        assertThat(drained.succeed(0, EVENTS)).isTrue();
        acc.deallocate(drained);
        assertThat(acc.bufferPool().availableMemory()).isEqualTo(1000);
        assertThat(append(acc, P2, 100, 0)).isNotNull();
    }

    @Test
    void drainTakesOneBatchPerPartitionAndOnlyPartitionsOfTheBroker() {
        RecordAccumulator acc = accumulator();
        append(acc, P0, 600, 0);
        append(acc, P0, 600, 0);
        append(acc, P1, 100, 0);
        append(acc, P2, 100, 0);
        Map<Integer, List<ProducerBatch>> drained = drainAll(acc, Set.of(0), 1_000_000, 10);
        assertThat(drained.get(0)).extracting(ProducerBatch::topicPartition).containsExactlyInAnyOrder(P0, P2);
        assertThat(acc.queueSize(P0)).isEqualTo(1);
        assertThat(acc.queueSize(P1)).isEqualTo(1);
        assertThat(drained.get(0)).allMatch(ProducerBatch::wasDrained).allMatch(ProducerBatch::isFull);
    }

    @Test
    void drainStopsAtMaxRequestSizeButAlwaysTakesOneAndRotatesTheStart() {
        RecordAccumulator acc = accumulator();
        append(acc, P0, 800, 0);
        append(acc, P2, 800, 0);
        List<ProducerBatch> first = drainAll(acc, Set.of(0), 1000, 10).get(0);
        assertThat(first).hasSize(1);
        TopicPartition firstTp = first.get(0).topicPartition();
        List<ProducerBatch> second = drainAll(acc, Set.of(0), 1000, 10).get(0);
        assertThat(second).hasSize(1);
        assertThat(second.get(0).topicPartition()).isNotEqualTo(firstTp);
    }

    @Test
    void mutedPartitionsAreNeitherReadyNorDrained() {
        RecordAccumulator acc = accumulator();
        append(acc, P0, 100, 0);
        acc.mutePartition(P0);
        assertThat(acc.ready(100, false)).isEmpty();
        assertThat(drainAll(acc, Set.of(0), 1_000_000, 100)).isEmpty();
        acc.unmutePartition(P0);
        assertThat(acc.ready(100, false)).containsExactly(0);
    }

    @Test
    void aReenqueuedBatchWaitsOutItsBackoffAtTheFront() {
        RecordAccumulator acc = accumulator("retry.backoff.ms", 100, "retry.backoff.max.ms", 1000);
        append(acc, P0, 100, 0);
        ProducerBatch b = drainAll(acc, Set.of(0), 1_000_000, 10).get(0).get(0);
        append(acc, P0, 100, 20);
        acc.reenqueue(b, 50);
        assertThat(b.attempts()).isEqualTo(1);
        assertThat(acc.ready(149, false)).as("in backoff").isEmpty();
        assertThat(drainAll(acc, Set.of(0), 1_000_000, 149)).isEmpty();
        assertThat(acc.nextSendableMs(50)).isEqualTo(150);
        assertThat(acc.ready(150, false)).containsExactly(0);
        assertThat(drainAll(acc, Set.of(0), 1_000_000, 150).get(0)).containsExactly(b);
    }

    @Test
    void sequencedBatchesAreReenqueuedInSequenceOrder() {
        RecordAccumulator acc = accumulator();
        TransactionManager tm = new TransactionManager(null, 60000, 100, TWO_BROKERS, EVENTS);
        idle(tm);
        for (int i = 0; i < 3; i++) {
            append(acc, P0, 600, 0);
        }
        ProducerBatch a = acc.drain(Set.of(0), 1_000_000, 0, tm.sequenceHandler()::shouldStopDrain, tm.sequenceHandler()::stampSequence).get(0).get(0);
        ProducerBatch b = acc.drain(Set.of(0), 1_000_000, 0, tm.sequenceHandler()::shouldStopDrain, tm.sequenceHandler()::stampSequence).get(0).get(0);
        ProducerBatch c = acc.drain(Set.of(0), 1_000_000, 0, tm.sequenceHandler()::shouldStopDrain, tm.sequenceHandler()::stampSequence).get(0).get(0);
        acc.reenqueue(c, 1);
        acc.reenqueue(a, 1);
        acc.reenqueue(b, 1);
        assertThat(acc.queueSize(P0)).isEqualTo(3);
        List<Integer> order = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ProducerBatch next = drainAll(acc, Set.of(0), 1_000_000, 10_000).get(0).get(0);
            order.add(next.baseSequence());
        }
        assertThat(order).containsExactly(0, 1, 2);
    }

    /** Gives a fresh idempotent transaction manager its producer id. */
    static void idle(TransactionManager tm) {
        tm.bumpIdempotentEpochAndResetIdIfNeeded(tp -> false);
        TxnRequest init = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        tm.requestHandler().handleResponse(init, new dev.deliverycheck.protocol.InitProducerIdResponse(0,
                dev.deliverycheck.protocol.Errors.NONE, 7, (short) 0), 0);
    }

    @Test
    void batchesPastTheDeliveryTimeoutExpireFromTheFront() {
        RecordAccumulator acc = accumulator("delivery.timeout.ms", 1000, "request.timeout.ms", 500);
        append(acc, P0, 600, 0);
        append(acc, P0, 600, 400);
        assertThat(acc.nextDeliveryDeadlineMs()).isEqualTo(1000);
        assertThat(acc.expiredBatches(999)).isEmpty();
        assertThat(acc.expiredBatches(1000)).hasSize(1);
        assertThat(acc.queueSize(P0)).isEqualTo(1);
    }

    @Test
    void undrainedBatchesCanBeRemovedForAnAbortAndEverythingForAFatalError() {
        RecordAccumulator acc = accumulator();
        append(acc, P0, 100, 0);
        ProducerBatch sent = drainAll(acc, Set.of(0), 1_000_000, 10).get(0).get(0);
        append(acc, P0, 100, 20);
        append(acc, P2, 100, 20);
        acc.reenqueue(sent, 30);
        List<ProducerBatch> undrained = acc.removeUndrainedBatches(false);
        assertThat(undrained).hasSize(2).noneMatch(ProducerBatch::wasDrained);
        for (ProducerBatch b : undrained) {
            b.fail(new RuntimeException("aborted"), EVENTS);
            acc.deallocate(b);
        }
        assertThat(acc.queueSize(P0)).isEqualTo(1);
        assertThat(acc.removeAllIncomplete()).containsExactly(sent);
        assertThat(acc.hasUndrained()).isFalse();
    }

    @Test
    void aBrokerThatCannotTakeDataPastTheAvailabilityTimeoutMakesItsPartitionsUnavailable() {
        RecordAccumulator acc = accumulator("partitioner.availability.timeout.ms", 100);
        acc.updateNodeLatencyStats(0, 0, true);
        acc.updateNodeLatencyStats(0, 100, false);
        assertThat(acc.isAvailable(P0)).isTrue();
        acc.updateNodeLatencyStats(0, 101, false);
        assertThat(acc.isAvailable(P0)).isFalse();
        assertThat(acc.isAvailable(P1)).as("broker 1 never lagged").isTrue();
        acc.updateNodeLatencyStats(0, 102, true);
        assertThat(acc.isAvailable(P2)).isTrue();
    }
}
