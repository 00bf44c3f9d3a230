package dev.deliverycheck.protocol;

import java.util.List;

/**
 * Kafka's Produce request: at most one batch per partition. {@code acks} is 0, 1 or -1 (all);
 * with acks=0 the broker sends no response. {@code transactionalId} is null outside transactions.
 */
public record ProduceRequest(int correlationId, String transactionalId, short acks, int timeoutMs,
                             List<RecordBatch> batches) implements Request {
    public ProduceRequest {
        batches = List.copyOf(batches);
    }
}
