package dev.deliverycheck.event;

/** {@code beginTransaction()}. */
public record ProducerBeginTxn(int producer, int transactionIndex) implements Event {
}
