/**
 * Idempotent appends: {@link dev.deliverycheck.broker.idempotence.ProducerStateTable} applies
 * Kafka's sequence and epoch rules per producer id; its snapshots plus a replay of the log after
 * them rebuild it after a crash, so dedup decisions survive restarts.
 */
package dev.deliverycheck.broker.idempotence;
