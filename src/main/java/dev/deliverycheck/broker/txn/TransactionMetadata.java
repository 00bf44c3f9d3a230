package dev.deliverycheck.broker.txn;

import dev.deliverycheck.protocol.TopicPartition;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the coordinator knows of one {@code transactional.id}: one immutable value per state of
 * the transaction log. Every change goes through {@link #transition}, which enforces
 * {@link TransactionState}'s table.
 *
 * @param transactionalId the id
 * @param producerId      its producer id
 * @param epoch           the current epoch; requests of older epochs are fenced
 * @param timeoutMs       {@code transaction.timeout.ms} the producer asked for
 * @param state           the state
 * @param partitions      partitions of the current transaction (empty when idle)
 * @param startTimestamp  clock time the current transaction began (first AddPartitions), or -1
 */
public record TransactionMetadata(String transactionalId, long producerId, short epoch, int timeoutMs,
                                  TransactionState state, SortedSet<TopicPartition> partitions, long startTimestamp) {
    public TransactionMetadata {
        partitions = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
    }

    /** A fresh id in state Empty. */
    public static TransactionMetadata fresh(String transactionalId, long producerId, short epoch, int timeoutMs) {
        return new TransactionMetadata(transactionalId, producerId, epoch, timeoutMs, TransactionState.EMPTY,
                new TreeSet<>(), -1L);
    }

    /** Moves to {@code next} with the given epoch, partitions and start time; throws on an illegal transition. */
    public TransactionMetadata transition(TransactionState next, short newEpoch, Set<TopicPartition> newPartitions,
                                          long newStartTimestamp) {
        return new TransactionMetadata(transactionalId, producerId, newEpoch, timeoutMs, state.transitionTo(next),
                new TreeSet<>(newPartitions), newStartTimestamp);
    }

    public TransactionMetadata withProducer(long newProducerId, short newEpoch, int newTimeoutMs) {
        return new TransactionMetadata(transactionalId, newProducerId, newEpoch, newTimeoutMs, state, partitions,
                startTimestamp);
    }

    /** Clock time at which an Ongoing transaction times out. */
    public long deadline() {
        return startTimestamp + timeoutMs;
    }
}
