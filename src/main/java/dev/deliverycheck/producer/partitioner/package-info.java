/**
 * Partitioning strategies, one class each behind {@link dev.deliverycheck.producer.partitioner.Partitioner}.
 * Keyed records go to {@code toPositive(murmur2(key)) % partitions} exactly as Kafka computes it
 * ({@link dev.deliverycheck.producer.partitioner.HashPartitioner}); keyless records are spread
 * by the configured strategy. All randomness comes from an injected {@link dev.deliverycheck.env.RandomSource}.
 */
package dev.deliverycheck.producer.partitioner;
