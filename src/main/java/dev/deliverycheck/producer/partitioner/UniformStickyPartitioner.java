package dev.deliverycheck.producer.partitioner;

import dev.deliverycheck.env.RandomSource;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * KIP-794's built-in partitioner (Kafka 3.3+ default). Keyed records go by key hash unless
 * {@code partitioner.ignore.keys}; keyless records stay on one partition per topic until
 * {@code batch.size} bytes were produced to it, switching once the partition's batches are
 * full (or unconditionally at twice {@code batch.size}).
 *
 * <p>The next partition is uniform at random, or — with {@code partitioner.adaptive.partitioning.enable},
 * once every partition of the topic has a queue (as Kafka's BuiltInPartitioner) — drawn with weight {@code maxQueue + 1 - queue} so partitions with shorter queues (faster
 * brokers) get more (KAFKA-10888). With adaptive partitioning and
 * {@code partitioner.availability.timeout.ms > 0}, partitions whose leader lags past the timeout
 * are left out, unless that would leave none.
 *
 * <p>Invariant: bytes are counted only for the current sticky partition, and the count restarts
 * at 0 on every switch.
 */
public final class UniformStickyPartitioner implements Partitioner {
    private final RandomSource random;
    private final int stickyBatchSize;
    private final boolean ignoreKeys;
    private final boolean adaptive;
    private final boolean availabilityCheck;
    private final PartitionLoad load;
    private final Map<String, Sticky> sticky = new HashMap<>();
    /** The last topic looked up and its entry in {@link #sticky} (two lookups per record otherwise). */
    private String lastTopic;
    private Sticky lastSticky;

    private static final class Sticky {
        final int partition;
        int producedBytes;

        Sticky(int partition) {
            this.partition = partition;
        }
    }

    public UniformStickyPartitioner(RandomSource random, int batchSize, boolean ignoreKeys, boolean adaptive,
                                    long availabilityTimeoutMs, PartitionLoad load) {
        this.random = random;
        this.stickyBatchSize = batchSize;
        this.ignoreKeys = ignoreKeys;
        this.adaptive = adaptive;
        this.availabilityCheck = adaptive && availabilityTimeoutMs > 0;
        this.load = load;
    }

    @Override
    public int partition(String topic, byte[] keyBytes, int numPartitions) {
        if (keyBytes != null && !ignoreKeys) {
            return HashPartitioner.partitionForKey(keyBytes, numPartitions);
        }
        Sticky current = sticky(topic);
        if (current == null || current.partition >= numPartitions) {
            current = new Sticky(nextPartition(topic, numPartitions));
            put(topic, current);
        }
        return current.partition;
    }

    /** KIP-794's {@code updatePartitionInfo}: count the bytes and switch when enough were produced. */
    @Override
    public void onAppend(String topic, int partition, int appendedBytes, boolean allBatchesFull, int numPartitions) {
        Sticky current = sticky(topic);
        if (current == null || current.partition != partition) {
            return;
        }
        current.producedBytes += appendedBytes;
        if ((current.producedBytes >= stickyBatchSize && allBatchesFull) || current.producedBytes >= 2 * stickyBatchSize) {
            put(topic, new Sticky(nextPartition(topic, numPartitions)));
        }
    }

    private Sticky sticky(String topic) {
        if (topic != lastTopic) {
            lastTopic = topic;
            lastSticky = sticky.get(topic);
        }
        return lastSticky;
    }

    private void put(String topic, Sticky s) {
        sticky.put(topic, s);
        lastTopic = topic;
        lastSticky = s;
    }

    /** The current sticky partition of a topic, or -1 before the first keyless record. */
    public int currentPartition(String topic) {
        Sticky s = sticky.get(topic);
        return s == null ? -1 : s.partition;
    }

    /**
     * Kafka's {@code RecordAccumulator.ready} computes the load statistics only once the topic has a
     * queue for every partition; until then the choice is uniform.
     */
    private boolean everyPartitionHasAQueue(String topic, int numPartitions) {
        for (int p = 0; p < numPartitions; p++) {
            if (!load.hasQueue(new TopicPartition(topic, p))) {
                return false;
            }
        }
        return true;
    }

    /** KIP-794's {@code nextPartition}: uniform, or weighted by a cumulative frequency table of inverted queue sizes. */
    int nextPartition(String topic, int numPartitions) {
        if (!adaptive || numPartitions < 2 && !availabilityCheck || !everyPartitionHasAQueue(topic, numPartitions)) {
            return random.nextInt(numPartitions);
        }
        int[] partitionIds = new int[numPartitions];
        int[] queueSizes = new int[numPartitions];
        int length = 0;
        for (int p = 0; p < numPartitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            if (availabilityCheck && !load.isAvailable(tp)) {
                continue;
            }
            partitionIds[length] = p;
            queueSizes[length] = load.queueSize(tp);
            length++;
        }
        if (length == 0) {
            return random.nextInt(numPartitions);
        }
        int maxSizePlus1 = 0;
        boolean allEqual = true;
        for (int i = 0; i < length; i++) {
            if (queueSizes[i] != queueSizes[0]) {
                allEqual = false;
            }
            maxSizePlus1 = Math.max(maxSizePlus1, queueSizes[i]);
        }
        maxSizePlus1++;
        if (allEqual) {
            return partitionIds[random.nextInt(length)];
        }
        int[] cumulative = new int[length];
        for (int i = 0; i < length; i++) {
            cumulative[i] = maxSizePlus1 - queueSizes[i] + (i == 0 ? 0 : cumulative[i - 1]);
        }
        int weighted = random.nextInt(cumulative[length - 1]);
        // the first entry strictly greater than the draw owns it
        int search = Arrays.binarySearch(cumulative, 0, length, weighted);
        int index = search >= 0 ? search + 1 : -(search + 1);
        return partitionIds[index];
    }
}
