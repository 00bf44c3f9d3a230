package dev.deliverycheck.producer;

import dev.deliverycheck.env.Clock;
import dev.deliverycheck.producer.errors.BufferExhaustedException;
import dev.deliverycheck.producer.errors.ProducerException;
import dev.deliverycheck.producer.errors.RecordTooLargeException;
import dev.deliverycheck.producer.internals.MemoryWaiter;
import dev.deliverycheck.producer.internals.ProducerBatch;
import dev.deliverycheck.producer.internals.ProducerEvents;
import dev.deliverycheck.producer.internals.RecordAccumulator;
import dev.deliverycheck.producer.internals.RecordCompletion;
import dev.deliverycheck.producer.internals.TransactionManager;
import dev.deliverycheck.producer.partitioner.Partitioner;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;

/**
 * The producer's way into its {@link RecordAccumulator}: picks a record's partition, refuses a
 * record too large for any request or for the whole buffer, appends a record (as Kafka's doSend,
 * the partition joins the transaction only after the append), serves records that wait for
 * buffer memory, and fails those whose {@code max.block.ms} ran out (BufferExhausted).
 *
 * <p>Invariant: records that had to wait for memory are appended first come first served, each
 * only when the memory can take it; a record's partition is registered with the transaction only
 * once the record is in the accumulator, and never outside IN_TRANSACTION (the record fails instead).
 */
final class RecordAppender {
    private final ProducerConfig config;
    private final ClusterMetadata metadata;
    private final Clock clock;
    private final ProducerEvents events;
    private final Partitioner partitioner;
    private final RecordAccumulator accumulator;
    /** Null when idempotence is off. */
    private final TransactionManager transactionManager;
    /** Settings read for every record, read once (the config's getters look them up by name). */
    private final int maxRequestSize;
    private final long bufferMemory;
    private RecordAccumulator.AppendResult lastAppend;
    /** The partitions of the topic last sent to, made once each: a send allocates no {@link TopicPartition}. */
    private String cachedTopic;
    private TopicPartition[] cachedPartitions = new TopicPartition[0];

    RecordAppender(ProducerConfig config, ClusterMetadata metadata, Clock clock, ProducerEvents events,
                   Partitioner partitioner, RecordAccumulator accumulator, TransactionManager transactionManager) {
        this.config = config;
        this.metadata = metadata;
        this.clock = clock;
        this.events = events;
        this.partitioner = partitioner;
        this.accumulator = accumulator;
        this.transactionManager = transactionManager;
        this.maxRequestSize = config.maxRequestSize();
        this.bufferMemory = config.bufferMemory();
    }

    /** What the last successful {@link #append} did (a new batch, a full batch). */
    RecordAccumulator.AppendResult lastAppend() {
        return lastAppend;
    }

    /**
     * Appends a record, and only then (as Kafka's doSend) registers its partition with the
     * transaction: a record that never gets buffer memory (BufferExhausted) adds no partition.
     * A waiting record served once its transaction is no longer open fails instead, as Kafka's
     * {@code maybeAddPartition} refuses a partition outside IN_TRANSACTION. Returns false, doing
     * nothing, when the buffer memory cannot take the record now.
     */
    boolean append(TopicPartition tp, Record wire, RecordCompletion completion, boolean notify, long nowMs) {
        boolean newPartition = transactionManager != null && transactionManager.isTransactional()
                && !transactionManager.isPartitionAdded(tp) && !transactionManager.isPartitionPendingAdd(tp);
        if (newPartition && transactionManager.state() != TransactionManager.State.IN_TRANSACTION) {
            completion.fail(new ProducerException("Cannot add partition " + tp + " to transaction while in state "
                    + transactionManager.state()), events);
            return true;
        }
        RecordAccumulator.AppendResult result = accumulator.tryAppend(tp, wire, completion, nowMs);
        if (result == null) {
            return false;
        }
        if (newPartition) {
            transactionManager.maybeAddPartition(tp);
        }
        lastAppend = result;
        if (notify) {
            partitioner.onAppend(tp.topic(), tp.partition(), ProducerBatch.recordSize(wire), accumulator.allBatchesFull(tp),
                    metadata.partitionCount(tp.topic()));
        }
        return true;
    }

    /** Appends waiting records, first come first served, as long as memory allows; true if any was served. */
    boolean serveMemoryWaiters() {
        boolean served = false;
        MemoryWaiter w;
        while ((w = accumulator.memoryWaiters().peek()) != null) {
            if (w.completion().isDone()) {
                accumulator.memoryWaiters().poll();
                continue;
            }
            if (!append(w.topicPartition(), w.record(), w.completion(), w.notifyPartitioner(), clock.milliseconds())) {
                return served;
            }
            accumulator.memoryWaiters().poll();
            served = true;
        }
        return served;
    }

    /**
     * The record's partition: the one it names (checked against the topic's count), else the
     * partitioner's choice, moved on when a sticky partitioner would start a new batch (Kafka's
     * abortOnNewBatch).
     */
    <K, V> int choosePartition(ProducerRecord<K, V> record, byte[] key, Record wire, int numPartitions) {
        if (record.partition() != null) {
            if (record.partition() >= numPartitions) {
                throw new IllegalArgumentException("Invalid partition given with record: " + record.partition()
                        + " is not in the range [0..." + numPartitions + ").");
            }
            return record.partition();
        }
        int p = partitioner.partition(record.topic(), key, numPartitions);
        if (partitioner.wantsNewBatchNotice() && accumulator.memoryWaiters().isEmpty()
                && accumulator.wouldCreateNewBatch(topicPartition(record.topic(), p, numPartitions), wire)) {
            // Kafka's abortOnNewBatch: the sticky partitioner moves on when a new batch would start
            partitioner.onNewBatch(record.topic(), p, numPartitions);
            p = partitioner.partition(record.topic(), key, numPartitions);
        }
        return p;
    }

    /** The {@link TopicPartition} of {@code partition} (in {@code [0, numPartitions)}: cached; otherwise a new one). */
    TopicPartition topicPartition(String topic, int partition, int numPartitions) {
        if (partition < 0 || partition >= numPartitions) {
            return new TopicPartition(topic, partition);
        }
        if (!topic.equals(cachedTopic) || cachedPartitions.length != numPartitions) {
            cachedTopic = topic;
            cachedPartitions = new TopicPartition[numPartitions];
        }
        TopicPartition tp = cachedPartitions[partition];
        if (tp == null) {
            tp = new TopicPartition(topic, partition);
            cachedPartitions[partition] = tp;
        }
        return tp;
    }

    /** Kafka's record size checks: larger than max.request.size, or than all of buffer.memory; null if neither. */
    RecordTooLargeException tooLarge(int size) {
        if (size > maxRequestSize) {
            return new RecordTooLargeException("The message is " + size + " bytes when serialized which is larger than "
                    + maxRequestSize + ", which is the value of the max.request.size configuration.");
        }
        if (size > bufferMemory) {
            return new RecordTooLargeException("The message is " + size + " bytes when serialized which is larger than "
                    + "the total memory buffer you have configured with the buffer.memory configuration ("
                    + bufferMemory + ").");
        }
        return null;
    }

    /** BufferExhausted: fails every waiting record whose max.block.ms ran out by {@code nowMs}; true if any did. */
    boolean expireMemoryWaiters(long nowMs) {
        List<MemoryWaiter> expired = accumulator.memoryWaiters().removeExpired(nowMs);
        for (MemoryWaiter w : expired) {
            w.completion().fail(new BufferExhaustedException("Buffer memory exhausted: failed to allocate memory for a "
                    + ProducerBatch.sizeAlone(w.record()) + "-byte record within the configured max blocking time "
                    + config.maxBlockMs() + " ms (max.block.ms). Total memory: " + accumulator.bufferPool().totalMemory()
                    + " bytes (buffer.memory). Available memory: " + accumulator.bufferPool().availableMemory()
                    + " bytes. Poolable size: " + accumulator.bufferPool().poolableSize() + " bytes (batch.size)."), events);
        }
        return !expired.isEmpty();
    }
}
