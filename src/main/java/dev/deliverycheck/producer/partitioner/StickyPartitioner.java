package dev.deliverycheck.producer.partitioner;

import dev.deliverycheck.env.RandomSource;
import java.util.HashMap;
import java.util.Map;

/**
 * KIP-480's sticky partitioner (Kafka 2.4–3.2 default): keyed records by key hash (unless
 * {@code partitioner.ignore.keys}); keyless records stay on one partition per topic until a new
 * batch would be created there, then move to another partition picked at random.
 *
 * <p>Invariant: the sticky partition changes only in {@link #onNewBatch} for the partition that is
 * currently sticky, and never to the same partition when the topic has more than one.
 */
public final class StickyPartitioner implements Partitioner {
    private final RandomSource random;
    private final boolean ignoreKeys;
    private final Map<String, Integer> sticky = new HashMap<>();

    public StickyPartitioner(RandomSource random, boolean ignoreKeys) {
        this.random = random;
        this.ignoreKeys = ignoreKeys;
    }

    @Override
    public int partition(String topic, byte[] keyBytes, int numPartitions) {
        if (keyBytes != null && !ignoreKeys) {
            return HashPartitioner.partitionForKey(keyBytes, numPartitions);
        }
        Integer current = sticky.get(topic);
        if (current == null || current >= numPartitions) {
            current = random.nextInt(numPartitions);
            sticky.put(topic, current);
        }
        return current;
    }

    @Override
    public boolean wantsNewBatchNotice() {
        return true;
    }

    /** KIP-480's {@code StickyPartitionCache.nextPartition}. */
    @Override
    public void onNewBatch(String topic, int prevPartition, int numPartitions) {
        Integer current = sticky.get(topic);
        if (current != null && current != prevPartition) {
            return;
        }
        int next;
        if (numPartitions == 1) {
            next = 0;
        } else {
            do {
                next = random.nextInt(numPartitions);
            } while (current != null && next == current);
        }
        sticky.put(topic, next);
    }

    /** The current sticky partition of a topic, or -1 before the first keyless record. */
    public int currentPartition(String topic) {
        return sticky.getOrDefault(topic, -1);
    }
}
