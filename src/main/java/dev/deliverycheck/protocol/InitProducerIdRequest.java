package dev.deliverycheck.protocol;

/**
 * Kafka's InitProducerId: an idempotent producer ({@code transactionalId == null}) gets a fresh
 * producer id; a transactional producer gets its id with the epoch bumped, fencing older instances.
 */
public record InitProducerIdRequest(int correlationId, String transactionalId, int transactionTimeoutMs)
        implements Request {
}
