package dev.deliverycheck.protocol;

/**
 * Kafka's EndTxnResponse. With KIP-890 part 2 (EndTxn v5, transaction version 2) a successful
 * answer carries the producer id and epoch the producer continues with: the coordinator bumped
 * the epoch when it wrote the decision (a new producer id at epoch 0 when the epoch was
 * exhausted). Without the bump both are -1 ({@link RecordBatch#NO_PRODUCER_ID},
 * {@link RecordBatch#NO_PRODUCER_EPOCH}), as in an error answer.
 */
public record EndTxnResponse(int correlationId, Errors error, long producerId, short producerEpoch) implements Response {

    /** An answer that carries no new producer id and epoch (an error, or a coordinator without the bump). */
    public EndTxnResponse(int correlationId, Errors error) {
        this(correlationId, error, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);
    }

    /** Whether the answer hands the producer a new producer id and epoch. */
    public boolean hasNewProducerIdAndEpoch() {
        return error == Errors.NONE && producerId != RecordBatch.NO_PRODUCER_ID;
    }
}
