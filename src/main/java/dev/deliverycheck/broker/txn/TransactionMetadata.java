package dev.deliverycheck.broker.txn;

import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the coordinator knows of one {@code transactional.id}: one immutable value per state of
 * the transaction log. Every change goes through {@link #transition}, which enforces
 * {@link TransactionState}'s table.
 *
 * <p>KIP-890 part 2 (Kafka 4.0, transaction version 2): EndTxn moves to Prepare* with the epoch
 * bumped, so the producer starts its next transaction with a new epoch. Two fields remember what
 * that needs beyond the current producer id and epoch:
 * <ul>
 *   <li>{@code lastProducerId}/{@code lastEpoch}: the identity the producer had while the
 *       transaction now deciding (Prepare*) or just decided (Complete*) was ongoing, so that a
 *       retry of its EndTxn is recognised and answered again instead of fenced. Kept only in those
 *       states: {@link #transition} to Empty or Ongoing clears it;</li>
 *   <li>the same two fields in state Empty: the identity a KIP-360 InitProducerId carried when it
 *       bumped the epoch, so that a retry of that request is answered again instead of bumping twice
 *       ({@link #lastInitRetry});</li>
 *   <li>{@code nextProducerId}: on epoch exhaustion, the producer id the producer continues with
 *       (at epoch 0) once the decision is complete; the markers still carry the old id. Set only in
 *       Prepare*.</li>
 * </ul>
 *
 * @param transactionalId the id
 * @param producerId      its producer id (the one the markers of a deciding transaction carry)
 * @param epoch           the current epoch; requests of older epochs are fenced
 * @param timeoutMs       {@code transaction.timeout.ms} the producer asked for
 * @param state           the state
 * @param partitions      partitions of the current transaction (empty when idle)
 * @param startTimestamp  clock time the current transaction began (first AddPartitions), or -1
 * @param lastProducerId  producer id a retried EndTxn of the deciding/decided transaction carries, or -1
 * @param lastEpoch       epoch a retried EndTxn of the deciding/decided transaction carries, or -1
 * @param nextProducerId  producer id handed out at epoch 0 when the decision completes, or -1
 */
public record TransactionMetadata(String transactionalId, long producerId, short epoch, int timeoutMs,
                                  TransactionState state, SortedSet<TopicPartition> partitions, long startTimestamp,
                                  long lastProducerId, short lastEpoch, long nextProducerId) {
    public TransactionMetadata {
        partitions = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
    }

    /** A fresh id in state Empty. */
    public static TransactionMetadata fresh(String transactionalId, long producerId, short epoch, int timeoutMs) {
        return new TransactionMetadata(transactionalId, producerId, epoch, timeoutMs, TransactionState.EMPTY,
                new TreeSet<>(), -1L, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_PRODUCER_ID);
    }

    /**
     * Moves to {@code next} with the given epoch, partitions and start time; throws on an illegal
     * transition. Moving to Empty or Ongoing forgets the previous transaction's identity.
     */
    public TransactionMetadata transition(TransactionState next, short newEpoch, Set<TopicPartition> newPartitions,
                                          long newStartTimestamp) {
        TransactionState target = state.transitionTo(next);
        boolean keep = target.isPrepare() || target == TransactionState.COMPLETE_COMMIT
                || target == TransactionState.COMPLETE_ABORT;
        return new TransactionMetadata(transactionalId, producerId, newEpoch, timeoutMs, target,
                new TreeSet<>(newPartitions), newStartTimestamp,
                keep ? lastProducerId : RecordBatch.NO_PRODUCER_ID, keep ? lastEpoch : RecordBatch.NO_PRODUCER_EPOCH,
                target.isPrepare() ? nextProducerId : RecordBatch.NO_PRODUCER_ID);
    }

    public TransactionMetadata withProducer(long newProducerId, short newEpoch, int newTimeoutMs) {
        return new TransactionMetadata(transactionalId, newProducerId, newEpoch, newTimeoutMs, state, partitions,
                startTimestamp, lastProducerId, lastEpoch, nextProducerId);
    }

    /**
     * The same state, remembering that the producer {@code (pid, epoch)} ended the transaction and,
     * if its epoch is exhausted, that it continues as {@code nextPid} (else -1).
     */
    public TransactionMetadata withEndingProducer(long pid, short epochOfProducer, long nextPid) {
        return new TransactionMetadata(transactionalId, producerId, epoch, timeoutMs, state, partitions,
                startTimestamp, pid, epochOfProducer, nextPid);
    }

    /** The same state, remembering that a KIP-360 InitProducerId of {@code (pid, epoch)} bumped it (state Empty). */
    public TransactionMetadata withInitializingProducer(long pid, short epochOfProducer) {
        if (state != TransactionState.EMPTY) {
            throw new IllegalStateException("an InitProducerId leaves " + transactionalId + " Empty, not " + state);
        }
        return new TransactionMetadata(transactionalId, producerId, epoch, timeoutMs, state, partitions,
                startTimestamp, pid, epochOfProducer, RecordBatch.NO_PRODUCER_ID);
    }

    /** Whether {@code lastProducerId}/{@code lastEpoch} name the identity a KIP-360 InitProducerId bumped. */
    public boolean lastInitRetry() {
        return state == TransactionState.EMPTY && lastProducerId != RecordBatch.NO_PRODUCER_ID;
    }

    /** The producer id the producer holds now: the next one once its EndTxn was answered on exhaustion. */
    public long clientProducerId() {
        return nextProducerId != RecordBatch.NO_PRODUCER_ID ? nextProducerId : producerId;
    }

    /** The epoch the producer holds now (0 with a next producer id). */
    public short clientEpoch() {
        return nextProducerId != RecordBatch.NO_PRODUCER_ID ? 0 : epoch;
    }

    /** Whether {@code (pid, epoch)} is the identity that ended the transaction being or just decided. */
    public boolean endedBy(long pid, short epochOfProducer) {
        return lastProducerId != RecordBatch.NO_PRODUCER_ID && lastProducerId == pid && lastEpoch == epochOfProducer;
    }

    /** Clock time at which an Ongoing transaction times out. */
    public long deadline() {
        return startTimestamp + timeoutMs;
    }
}
