package dev.deliverycheck.event;

/** The old producer instance crashed (or is abandoned, a zombie) and a new one with the same transactional.id starts. */
public record ProducerRestart(int oldProducer, int newProducer, String transactionalId) implements Event {
}
