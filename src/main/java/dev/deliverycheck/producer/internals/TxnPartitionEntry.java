package dev.deliverycheck.producer.internals;

import dev.deliverycheck.protocol.Sequences;
import java.util.Comparator;
import java.util.TreeSet;

/**
 * Sequence bookkeeping of one partition, Kafka's {@code TxnPartitionEntry}: the id/epoch the
 * sequences belong to, the next sequence to stamp, the last sequence the broker acknowledged and
 * the batches that carry a sequence but have not completed ("in flight": in a request or queued
 * for a retry), in sequence order.
 *
 * <p>Invariant: the in-flight batches' sequences are contiguous and end just before
 * {@link #nextSequence}; batches are ordered by the order they were stamped in (their ordinal),
 * which stays right across the wrap of sequences at {@code Integer.MAX_VALUE}.
 */
final class TxnPartitionEntry {
    static final int NO_LAST_ACKED_SEQUENCE = -1;

    ProducerIdAndEpoch producerIdAndEpoch;
    int nextSequence;
    int lastAckedSequence = NO_LAST_ACKED_SEQUENCE;
    long lastAckedOrdinal = -1;
    long lastAckedOffset = -1;
    final TreeSet<ProducerBatch> inflight = new TreeSet<>(Comparator.comparingLong(ProducerBatch::ordinal));

    TxnPartitionEntry(ProducerIdAndEpoch producerIdAndEpoch) {
        this.producerIdAndEpoch = producerIdAndEpoch;
    }

    /** Whether {@code sequence} directly follows the last acknowledged one. */
    boolean isNextSequence(int sequence) {
        return Sequences.increment(lastAckedSequence, 1) == sequence; // -1 + 1 = 0: nothing acked yet
    }

    /** Kafka's {@code startSequencesAtBeginning}: renumber the in-flight batches from 0 under a new id/epoch. */
    void startSequencesAtBeginning(ProducerIdAndEpoch pe) {
        int sequence = 0;
        for (ProducerBatch b : inflight) {
            b.resetProducerState(pe, sequence);
            sequence = Sequences.increment(sequence, b.recordCount());
        }
        producerIdAndEpoch = pe;
        nextSequence = sequence;
        lastAckedSequence = NO_LAST_ACKED_SEQUENCE;
        lastAckedOrdinal = -1;
    }

    ProducerBatch firstInFlight() {
        return inflight.isEmpty() ? null : inflight.first();
    }
}
