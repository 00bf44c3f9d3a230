package dev.deliverycheck.broker.idempotence;

import java.util.List;

/**
 * An immutable view of one producer's entry in a {@link ProducerStateTable}.
 *
 * @param producerId            the producer id
 * @param epoch                 the newest epoch seen from it on this partition
 * @param batches               metadata of its last appended batches of that epoch, oldest first
 * @param ongoingTxnFirstOffset offset of the first batch of its open transaction here, or -1
 */
public record ProducerState(long producerId, short epoch, List<BatchMetadata> batches, long ongoingTxnFirstOffset) {
    public static final long NO_TXN = -1L;

    public ProducerState {
        batches = List.copyOf(batches);
    }

    /** Sequence of the last record appended in this epoch, or -1 if none. */
    public int lastSeq() {
        return batches.isEmpty() ? -1 : batches.get(batches.size() - 1).lastSeq();
    }

    public boolean hasOngoingTransaction() {
        return ongoingTxnFirstOffset != NO_TXN;
    }
}
