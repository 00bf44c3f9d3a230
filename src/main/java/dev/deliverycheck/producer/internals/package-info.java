/**
 * The producer's machinery, after Kafka's {@code clients.producer.internals}: the
 * {@link dev.deliverycheck.producer.internals.RecordAccumulator} (per-partition queues of
 * {@link dev.deliverycheck.producer.internals.ProducerBatch}es, memory from the
 * {@link dev.deliverycheck.producer.internals.BufferPool}), the
 * {@link dev.deliverycheck.producer.internals.Sender} (one {@code runOnce} step at a given time)
 * and the {@link dev.deliverycheck.producer.internals.TransactionManager} (producer id, epoch,
 * sequence numbers and Kafka's transaction state machine).
 *
 * <p>Everything here is single-threaded and never blocks; time is always passed in.
 */
package dev.deliverycheck.producer.internals;
