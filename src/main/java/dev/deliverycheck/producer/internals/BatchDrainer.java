package dev.deliverycheck.producer.internals;

import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Kafka's {@code RecordAccumulator.drain} and {@code drainBatchesForOneNode}: what one Produce request
 * to each ready broker takes from the accumulator's partition queues.
 *
 * <p>Invariants: a drain takes at most one batch per partition, only from partitions the broker
 * leads, never from a muted partition, never a batch in retry backoff, and never more than
 * {@code max.request.size} bytes per broker, except that the first batch always goes; each
 * broker's scan starts where its previous drain stopped ({@code nodesDrainIndex}), so no
 * partition starves behind the others. A batch leaves its queue here only when it is taken (or
 * when it already completed while queued), and is stamped with its sequence the first time.
 */
final class BatchDrainer {
    private final ClusterMetadata metadata;
    private final Function<TopicPartition, Deque<ProducerBatch>> queues;
    private final Predicate<TopicPartition> muted;
    private final Map<Integer, Integer> drainIndex = new HashMap<>();
    private final Map<Integer, List<TopicPartition>> partitionsByLeader = new HashMap<>();

    /**
     * @param queues a partition's queue of batches, or null if it has none yet
     * @param muted  whether a partition has a batch in flight that must complete before the next is sent
     */
    BatchDrainer(ClusterMetadata metadata, Function<TopicPartition, Deque<ProducerBatch>> queues,
                 Predicate<TopicPartition> muted) {
        this.metadata = metadata;
        this.queues = queues;
        this.muted = muted;
    }

    /** Per ready broker, the batches of its next request, brokers with nothing to take left out. */
    Map<Integer, List<ProducerBatch>> drain(Set<Integer> nodes, int maxRequestSize, long nowMs,
                                            RecordAccumulator.DrainGate gate, RecordAccumulator.Sequencer sequencer) {
        Map<Integer, List<ProducerBatch>> result = new TreeMap<>();
        for (int node : nodes) {
            List<ProducerBatch> ready = drainBatchesForOneNode(node, maxRequestSize, nowMs, gate, sequencer);
            if (!ready.isEmpty()) {
                result.put(node, ready);
            }
        }
        return result;
    }

    private List<ProducerBatch> drainBatchesForOneNode(int node, int maxSize, long nowMs,
                                                       RecordAccumulator.DrainGate gate,
                                                       RecordAccumulator.Sequencer sequencer) {
        List<ProducerBatch> ready = new ArrayList<>();
        List<TopicPartition> parts = partitionsLedBy(node);
        if (parts.isEmpty()) {
            return ready;
        }
        int size = 0;
        int start = drainIndex.getOrDefault(node, 0) % parts.size();
        int index = start;
        do {
            TopicPartition tp = parts.get(index);
            drainIndex.put(node, index);
            index = (index + 1) % parts.size();
            if (muted.test(tp)) {
                continue;
            }
            Deque<ProducerBatch> dq = queues.apply(tp);
            ProducerBatch first = dq == null ? null : dq.peekFirst();
            while (first != null && first.isDone()) {
                dq.pollFirst(); // completed while queued (expired): nothing to send
                first = dq.peekFirst();
            }
            if (first == null || first.backingOff(nowMs)) {
                continue;
            }
            if (size + first.sizeInBytes() > maxSize && !ready.isEmpty()) {
                break;
            }
            if (gate.shouldStopDrain(first, tp)) {
                continue;
            }
            ProducerBatch batch = dq.pollFirst();
            if (!batch.hasSequence()) {
                sequencer.stamp(batch);
            }
            batch.drained(nowMs);
            size += batch.sizeInBytes();
            ready.add(batch);
        } while (index != start);
        return ready;
    }

    /** The partitions a broker leads, in topic then partition order (metadata is static for a run, so computed once). */
    private List<TopicPartition> partitionsLedBy(int node) {
        return partitionsByLeader.computeIfAbsent(node, n -> {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : new TreeSet<>(metadata.partitionsPerTopic().keySet())) {
                for (TopicPartition tp : metadata.partitionsFor(topic)) {
                    if (metadata.leaderFor(tp) == n) {
                        parts.add(tp);
                    }
                }
            }
            return parts;
        });
    }
}
