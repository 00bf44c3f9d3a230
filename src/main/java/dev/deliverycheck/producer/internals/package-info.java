/**
 * The producer's machinery, after Kafka's {@code clients.producer.internals}: the
 * {@link dev.deliverycheck.producer.internals.RecordAccumulator} (per-partition queues of
 * {@link dev.deliverycheck.producer.internals.ProducerBatch}es, memory from the
 * {@link dev.deliverycheck.producer.internals.BufferPool}), the
 * {@link dev.deliverycheck.producer.internals.Sender} (one {@code runOnce} step at a given time)
 * and the {@link dev.deliverycheck.producer.internals.TransactionManager} (Kafka's transaction
 * state machine) with the parts of Kafka's class that have their own job here: the producer id and
 * epoch ({@code ProducerIdentity}), the batches' sequence numbers ({@code SequenceHandler} over
 * {@code TxnPartitionMap}), the transactional requests ({@code TxnRequestHandler}), the partitions
 * of the transaction ({@code PartitionsInTransaction}) and the caller's results
 * ({@code TransactionResults}).
 *
 * <p>Everything here is single-threaded and never blocks; time is always passed in.
 */
package dev.deliverycheck.producer.internals;
