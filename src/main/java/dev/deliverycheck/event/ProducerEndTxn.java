package dev.deliverycheck.event;

/** EndTxn sent: commit or abort requested. */
public record ProducerEndTxn(int producer, String transactionalId, long producerId, short producerEpoch, int transactionIndex, boolean commit) implements Event {
}
