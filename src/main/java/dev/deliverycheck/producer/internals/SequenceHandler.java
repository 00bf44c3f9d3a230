package dev.deliverycheck.producer.internals;

import dev.deliverycheck.producer.errors.BrokerErrorException;
import dev.deliverycheck.producer.errors.ProducerFencedException;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.function.Predicate;

/**
 * What the sender's batches mean for their partitions' sequence numbers, the batch side of
 * Kafka's {@code TransactionManager} (KIP-98, KIP-360): the gate at drain, stamping, and what a
 * completed, rejected or failed batch does to its partition -- nothing, a retry, an unresolved
 * sequence, an epoch bump with the partition renumbered, an abortable or a fatal error. The
 * bookkeeping is the {@link TxnPartitionMap}'s, the epoch the {@link ProducerIdentity}'s and the
 * states the {@link TransactionManager}'s, which this class tells what happened.
 *
 * <p>Invariants: a batch gets its sequence once, at its first drain, and keeps it on every retry;
 * a partition's batches without a sequence are held back while its earlier batches belong to an
 * older epoch, while a failed batch left the partition's sequence unresolved, or while the
 * partition waits for an epoch bump; a retried batch is resent only when it is the partition's
 * first batch in flight; a partition is renumbered (under a new epoch) only for a gap the broker
 * reported or a failure that did not resolve itself, never while an earlier batch may still
 * close the gap.
 */
final class SequenceHandler {
    private final TransactionManager manager;
    private final TxnPartitionMap sequences;
    private final ProducerIdentity identity;

    SequenceHandler(TransactionManager manager, TxnPartitionMap sequences, ProducerIdentity identity) {
        this.manager = manager;
        this.sequences = sequences;
        this.identity = identity;
    }

    /** Kafka's {@code shouldStopDrainBatchesForPartition}, the gate the accumulator asks at drain. */
    boolean shouldStopDrain(ProducerBatch first, TopicPartition tp) {
        return !manager.isSendToPartitionAllowed(tp) || !identity.hasProducerId()
                || sequences.shouldStopDrain(first, tp, identity.current());
    }

    /** Stamps producer id, epoch and the partition's next sequence on a batch at its first drain. */
    void stampSequence(ProducerBatch batch) {
        sequences.stamp(batch, identity.current(), manager.isTransactional());
    }

    /**
     * The broker stored the batch (or reported it a duplicate): advance the last acknowledged
     * sequence. Earlier batches of the partition still in flight are not touched (Kafka's
     * {@code handleCompletedBatch}): each completes by its own answer or fails at its delivery
     * timeout.
     */
    void handleCompletedBatch(ProducerBatch batch, long baseOffset) {
        sequences.complete(batch, baseOffset);
    }

    /**
     * A batch failed for good. Transactional: Kafka's fatal errors ({@link #isFatalBatchError}) are
     * fatal, anything else makes the transaction abortable -- INVALID_PRODUCER_EPOCH included
     * (KIP-588) -- and requires a new epoch after the abort (any failed batch, as Kafka).
     * Idempotent: a batch that may have been written leaves the partition's sequence unresolved; one
     * the broker rejected leaves a gap, so the epoch is bumped and the partition renumbered.
     */
    void handleFailedBatch(ProducerBatch batch, RuntimeException error, boolean indeterminate) {
        TopicPartition tp = batch.topicPartition();
        TxnPartitionEntry entry = sequences.fail(batch);
        if (isFatalBatchError(error)) {
            manager.transitionToFatalError(error);
            return;
        }
        if (manager.isTransactional()) {
            // Kafka's maybeTransitionToErrorState: every failed batch of a transaction requires the
            // bump, whether it carried a sequence yet or not (issue 14, rule 6)
            identity.requireEpochBump();
            manager.transitionToAbortableError(error);
            return;
        }
        if (manager.hasFatalError() || !batch.hasSequence() || entry == null
                || !batch.producerIdAndEpoch().equals(entry.producerIdAndEpoch)) {
            return;
        }
        if (indeterminate) {
            sequences.markUnresolved(tp, batch);
        } else {
            requestIdempotentEpochBumpForPartition(tp);
        }
    }

    /**
     * Kafka's {@code canRetry} for a Produce answer (Kafka 4.4's {@code TransactionManager}).
     * OUT_OF_ORDER_SEQUENCE_NUMBER and UNKNOWN_PRODUCER_ID are not retriable errors; they are
     * retried when the gap may still close by itself: the batch is not the one right after the
     * last acknowledged sequence (an earlier batch is still on its way), or it was renumbered and
     * the answer concerns its old numbers. Otherwise the gap is real: the idempotent producer asks
     * for an epoch bump (KIP-360) -- unless an unresolved failure precedes the batch, which has to
     * resolve first -- and retries under the new numbers; the transactional producer lets the batch
     * fail (the transaction must abort). UNKNOWN_PRODUCER_ID: Kafka's branches on the answer's log
     * start offset have no counterpart here (no log start offset in the answer; nothing is ever
     * deleted), so the idempotent producer bumps and retries, the transactional one fails the batch.
     */
    boolean canRetry(Errors error, ProducerBatch batch) {
        TopicPartition tp = batch.topicPartition();
        if (error == Errors.UNKNOWN_PRODUCER_ID) {
            if (batch.sequenceHasBeenReset()) {
                return true;
            }
            if (!manager.isTransactional() && batch.hasSequence()) {
                requestIdempotentEpochBumpForPartition(tp);
                return true;
            }
        } else if (error == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER && batch.hasSequence()) {
            boolean unresolved = sequences.unresolved(tp) != null;
            if (!unresolved && (batch.sequenceHasBeenReset() || !sequences.isNextSequence(tp, batch.baseSequence()))) {
                return true;
            }
            if (!manager.isTransactional()) {
                if (!unresolved || sequences.isNextAfterUnresolved(tp, batch.baseSequence())) {
                    requestIdempotentEpochBumpForPartition(tp);
                }
                return true;
            }
        }
        return error.retriable();
    }

    /**
     * Kafka's {@code maybeResolveSequences}: once nothing of a partition with an unresolved failure
     * is in flight, the failure resolved itself if every sequence stamped was acknowledged after all;
     * otherwise the epoch is bumped.
     */
    void maybeResolveSequences(Predicate<TopicPartition> outstanding) {
        sequences.resolve(outstanding).forEach(this::requestIdempotentEpochBumpForPartition);
    }

    private void requestIdempotentEpochBumpForPartition(TopicPartition tp) {
        identity.requireEpochBump();
        sequences.requestRewrite(tp);
    }

    boolean hasUnresolvedSequence(TopicPartition tp) {
        return sequences.unresolved(tp) != null;
    }

    /** Next sequence to stamp on the partition (0 if nothing was sent to it). */
    int sequenceNumber(TopicPartition tp) {
        return sequences.sequenceNumber(tp);
    }

    /** The last sequence the broker acknowledged for the partition, or -1. */
    int lastAckedSequence(TopicPartition tp) {
        return sequences.lastAckedSequence(tp);
    }

    boolean hasInflightBatches(TopicPartition tp) {
        return sequences.hasInflightBatches(tp);
    }

    /**
     * Kafka's {@code handleFailedBatch}: the failures of a batch no abort recovers from -- fenced,
     * not authorised, a version the broker does not support, or a producer id the coordinator no
     * longer maps. Anything else (INVALID_PRODUCER_EPOCH included, KIP-588) is abortable.
     */
    static boolean isFatalBatchError(RuntimeException error) {
        if (error instanceof ProducerFencedException) {
            return true;
        }
        if (!(error instanceof BrokerErrorException b)) {
            return false;
        }
        return switch (b.error()) {
            case PRODUCER_FENCED, CLUSTER_AUTHORIZATION_FAILED, TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                 UNSUPPORTED_VERSION, INVALID_PRODUCER_ID_MAPPING -> true;
            default -> false;
        };
    }
}
