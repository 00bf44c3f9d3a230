/**
 * Partition logs: {@link dev.deliverycheck.broker.log.PartitionLog} (segments of
 * {@code [length][CRC-32C][batch]} frames, recovery that truncates at the first torn or corrupt
 * frame), {@link dev.deliverycheck.broker.log.BatchCodec} (a decoder total on garbage input) and
 * {@link dev.deliverycheck.broker.log.TransactionIndex} (last stable offset, aborted ranges).
 */
package dev.deliverycheck.broker.log;
