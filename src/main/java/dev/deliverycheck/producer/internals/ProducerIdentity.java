package dev.deliverycheck.producer.internals;

import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.function.Predicate;

/**
 * The producer id and epoch the batches carry and whether a new epoch is required, Kafka's
 * {@code producerIdAndEpoch} and {@code epochBumpRequired} of its {@code TransactionManager}, with
 * what every change of them does to the partitions' sequence numbers ({@link TxnPartitionMap}).
 *
 * <p>Invariants: the epoch of one producer id only grows; a local bump (KIP-360) happens only when
 * one was required, and renumbers from 0 exactly the partitions waiting for it; an epoch handed out
 * by InitProducerId renumbers those partitions too (idempotent producer), one handed out by an
 * EndTxn answer (KIP-890 part 2) restarts at 0 every partition with nothing in flight; once a new
 * epoch is in use no bump is required any more.
 */
final class ProducerIdentity {
    private final TxnPartitionMap sequences;
    private final ProducerEvents events;
    private ProducerIdAndEpoch current = ProducerIdAndEpoch.NONE;
    private boolean epochBumpRequired;

    ProducerIdentity(TxnPartitionMap sequences, ProducerEvents events) {
        this.sequences = sequences;
        this.events = events;
    }

    ProducerIdAndEpoch current() {
        return current;
    }

    boolean hasProducerId() {
        return current.isValid();
    }

    boolean epochBumpRequired() {
        return epochBumpRequired;
    }

    /** A failed batch, a sequence gap or a failed commit: the producer must go on under a new epoch. */
    void requireEpochBump() {
        epochBumpRequired = true;
    }

    /** No producer id any more: a new one is to be asked for. */
    void reset() {
        current = ProducerIdAndEpoch.NONE;
    }

    /**
     * InitProducerId handed out {@code initialized}. Transactional: it is the bump an abort needed.
     * Idempotent: the partitions waiting to be renumbered start from 0 under it.
     */
    void initialized(ProducerIdAndEpoch initialized, String transactionalId) {
        current = initialized;
        events.initProducerId(transactionalId, current);
        if (transactionalId != null) {
            epochBumpRequired = false;
        } else if (sequences.hasPartitionsToRewrite()) {
            sequences.rewritePartitions(current);
        }
    }

    /**
     * KIP-890 part 2: the coordinator bumped the epoch when it decided the transaction (or, on epoch
     * exhaustion, gave a new producer id at epoch 0). The next transaction's batches carry it and
     * start every partition's sequence at 0; batches of the ended transaction still on the wire
     * keep the old epoch, which the partitions now refuse. The bump is also the one an abort after
     * a failed batch needs, so no InitProducerId follows.
     */
    void adoptEndTxnEpoch(ProducerIdAndEpoch next) {
        current = next;
        epochBumpRequired = false;
        sequences.restartIdlePartitions(next);
    }

    /**
     * Whether the idempotent producer may bump now: a bump is required, and no request carrying a
     * batch of a partition to renumber is outstanding.
     */
    boolean readyToBump(Predicate<TopicPartition> outstanding) {
        return epochBumpRequired && hasProducerId() && !sequences.anyToRewrite(outstanding);
    }

    /**
     * Kafka's {@code bumpIdempotentProducerEpoch}: the next epoch, the partitions waiting for it
     * renumbered from 0. Returns false, bumping nothing, when the epoch cannot grow (Kafka's
     * {@code resetIdempotentProducerId} follows: a new producer id, the renumbering then).
     */
    @SpecAction("ProducerBumpEpoch")
    boolean bumpEpoch() {
        epochBumpRequired = false;
        if (current.epoch() == Short.MAX_VALUE) {
            return false;
        }
        current = new ProducerIdAndEpoch(current.producerId(), (short) (current.epoch() + 1));
        events.bumpEpoch(current);
        sequences.rewritePartitions(current);
        return true;
    }
}
