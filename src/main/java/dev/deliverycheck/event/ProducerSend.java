package dev.deliverycheck.event;

import dev.deliverycheck.protocol.TopicPartition;

/** {@code send()} accepted a record into the accumulator. {@code transactionIndex} numbers the producer's transactions from 0, -1 outside a transaction. */
public record ProducerSend(int producer, long recordId, TopicPartition topicPartition, int transactionIndex) implements Event {
}
