package dev.deliverycheck.event;

import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.TopicPartition;

/** A Produce response for one partition was sent. */
public record BrokerAck(int broker, int destination, int correlationId, TopicPartition topicPartition, long baseOffset, Errors error) implements Event {
}
