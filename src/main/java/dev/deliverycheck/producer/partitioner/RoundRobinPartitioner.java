package dev.deliverycheck.producer.partitioner;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka's {@code RoundRobinPartitioner}: a counter per topic, taken modulo the partition count,
 * for every record (keys are ignored). Invariant: the counter advances exactly once per record,
 * so over N·P records each partition receives exactly N — unlike Kafka versions hit by
 * KAFKA-9965, where a new batch made the counter advance twice and half the partitions starved.
 */
public final class RoundRobinPartitioner implements Partitioner {
    private final Map<String, Integer> counters = new HashMap<>();

    @Override
    public int partition(String topic, byte[] keyBytes, int numPartitions) {
        int next = counters.getOrDefault(topic, 0);
        counters.put(topic, next + 1);
        return HashPartitioner.toPositive(next) % numPartitions;
    }
}
