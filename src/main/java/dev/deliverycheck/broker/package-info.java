/**
 * The broker: {@link dev.deliverycheck.broker.Broker} is a {@link dev.deliverycheck.env.Node} that
 * leads partitions (single copy, no replication) and coordinates transactions.
 *
 * <p>Layout: {@code storage} is the disk interface and its one file adapter; {@code log} the
 * CRC-framed segment log, its recovery pass and the transaction index; {@code idempotence} the
 * producer-state table (dedup) and its snapshots; {@code txn} the transaction coordinator and its
 * durable log. The broker sees time, network and disk only through {@code env} and
 * {@link dev.deliverycheck.broker.storage.Storage}, and never imports the producer.
 */
package dev.deliverycheck.broker;
