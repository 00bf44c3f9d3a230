package dev.deliverycheck.producer.partitioner;

/**
 * Chooses the partition of a record that was sent without an explicit partition.
 *
 * <p>The accumulator tells the partitioner what happened to the records it placed
 * ({@link #onNewBatch}, {@link #onAppend}); strategies that stick to a partition use these
 * notifications to decide when to move on. Implementations are single-threaded, like the
 * {@link dev.deliverycheck.producer.ProducerNode} that owns them.
 */
public interface Partitioner {
    /**
     * The partition for a record of {@code topic} with serialized key {@code keyBytes} (null for
     * a keyless record), among {@code numPartitions} partitions.
     */
    int partition(String topic, byte[] keyBytes, int numPartitions);

    /**
     * Whether appending a record this partitioner placed on {@code partition} must be announced
     * through {@link #onNewBatch} before it creates a new batch (Kafka's {@code abortOnNewBatch}).
     */
    default boolean wantsNewBatchNotice() {
        return false;
    }

    /**
     * A record placed on {@code prevPartition} would start a new batch there (KIP-480's trigger);
     * the caller asks for the partition again afterwards.
     */
    default void onNewBatch(String topic, int prevPartition, int numPartitions) {
    }

    /**
     * A record of {@code appendedBytes} bytes that this partitioner chose for a keyless record was
     * appended to {@code partition}; {@code allBatchesFull} says whether the partition's queue has
     * no batch with room left (KIP-794 defers a switch until then).
     */
    default void onAppend(String topic, int partition, int appendedBytes, boolean allBatchesFull, int numPartitions) {
    }
}
