package dev.deliverycheck.protocol;

/**
 * Kafka's InitProducerId: an idempotent producer ({@code transactionalId == null}) gets a fresh
 * producer id; a transactional producer gets its id with the epoch bumped, fencing older instances.
 *
 * <p>KIP-360 (InitProducerId v3+): {@code producerId}/{@code producerEpoch} are the identity the
 * producer holds, or {@link RecordBatch#NO_PRODUCER_ID}/{@link RecordBatch#NO_PRODUCER_EPOCH} for a
 * new instance. A producer that holds an identity and re-initialises (after an abortable error)
 * keeps its producer id: the coordinator bumps the epoch only if that identity is current, answers
 * a retry of that bump with the bumped epoch again, and fences an older identity.
 */
public record InitProducerIdRequest(int correlationId, String transactionalId, int transactionTimeoutMs,
                                    long producerId, short producerEpoch) implements Request {

    /** A new instance: no identity to keep. */
    public InitProducerIdRequest(int correlationId, String transactionalId, int transactionTimeoutMs) {
        this(correlationId, transactionalId, transactionTimeoutMs, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH);
    }

    /** Whether the request carries the identity the producer holds (KIP-360). */
    public boolean hasProducerIdAndEpoch() {
        return producerId != RecordBatch.NO_PRODUCER_ID;
    }
}
