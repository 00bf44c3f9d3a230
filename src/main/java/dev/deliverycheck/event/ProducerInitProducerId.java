package dev.deliverycheck.event;

/** The producer received its producer id and epoch. */
public record ProducerInitProducerId(int producer, String transactionalId, long producerId, short producerEpoch) implements Event {
}
