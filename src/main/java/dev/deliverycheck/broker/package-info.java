/**
 * The broker: {@link dev.deliverycheck.broker.Broker} is a {@link dev.deliverycheck.env.Node} that
 * leads partitions (single copy, no replication) and coordinates transactions. Its parts: Produce
 * requests ({@link dev.deliverycheck.broker.ProduceHandler}), writes to the led partitions
 * ({@link dev.deliverycheck.broker.PartitionWriter}), KIP-890 verification
 * ({@link dev.deliverycheck.broker.AddPartitionsToTxnManager}) and the group commit that answers
 * once data is durable ({@link dev.deliverycheck.broker.GroupCommit}).
 *
 * <p>Layout: {@code storage} is the disk interface and its one file adapter; {@code log} the
 * CRC-framed segment log, its recovery pass and the transaction index; {@code idempotence} the
 * producer-state table (dedup) and its snapshots; {@code txn} the transaction coordinator, its
 * durable log and its marker channel. The broker sees time, network and disk only through {@code env} and
 * {@link dev.deliverycheck.broker.storage.Storage}, and never imports the producer.
 */
package dev.deliverycheck.broker;
