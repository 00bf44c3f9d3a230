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
