package dev.deliverycheck.event;

/** The producer learnt it was fenced (PRODUCER_FENCED / INVALID_PRODUCER_EPOCH): a fatal error. */
public record ProducerFenced(int producer, String transactionalId, long producerId, short producerEpoch) implements Event {
}
