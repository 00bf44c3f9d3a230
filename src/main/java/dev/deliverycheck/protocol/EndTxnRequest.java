package dev.deliverycheck.protocol;

/** Kafka's EndTxn: commit ({@code commit=true}) or abort the producer's ongoing transaction. */
public record EndTxnRequest(int correlationId, String transactionalId, long producerId, short producerEpoch,
                            boolean commit) implements Request {
}
