package dev.deliverycheck.producer.internals;

import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;

/**
 * A record whose {@code send()} found the buffer memory exhausted: in Kafka the calling thread
 * blocks in {@code BufferPool.allocate}; here the record waits in line ({@link MemoryWaiters})
 * until memory frees up or {@code deadlineMs} ({@code max.block.ms} after the send) passes.
 * {@code notifyPartitioner} says the partitioner chose the partition and wants {@code onAppend}.
 */
public record MemoryWaiter(TopicPartition topicPartition, Record record, RecordCompletion completion,
                           boolean notifyPartitioner, long enqueuedMs, long deadlineMs) {
}
