package dev.deliverycheck.producer.partitioner;

import dev.deliverycheck.protocol.TopicPartition;

/**
 * What the uniform sticky partitioner may know about partitions (supplied by the record
 * accumulator): how many batches wait in each partition's queue, and whether the partition's
 * leader has been unable to take data for longer than {@code partitioner.availability.timeout.ms}.
 */
public interface PartitionLoad {
    /** Number of batches queued for the partition (0 if none). */
    int queueSize(TopicPartition tp);

    /**
     * Whether the partition has a queue (a batch was ever scheduled for it), so {@link #queueSize}
     * says something about it. Kafka's adaptive partitioning weights only once every partition of
     * the topic has one: a partition with none would otherwise never be switched to.
     */
    default boolean hasQueue(TopicPartition tp) {
        return true;
    }

    /** False when the partition's leader lags past the availability timeout. */
    boolean isAvailable(TopicPartition tp);

    /** No load information: every queue empty, every partition available. */
    PartitionLoad NONE = new PartitionLoad() {
        @Override
        public int queueSize(TopicPartition tp) {
            return 0;
        }

        @Override
        public boolean isAvailable(TopicPartition tp) {
            return true;
        }
    };
}
