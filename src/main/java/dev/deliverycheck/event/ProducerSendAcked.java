package dev.deliverycheck.event;

import dev.deliverycheck.protocol.TopicPartition;

/** The record's future completed successfully (offset -1 with acks=0). */
public record ProducerSendAcked(int producer, long recordId, TopicPartition topicPartition, long offset) implements Event {
}
