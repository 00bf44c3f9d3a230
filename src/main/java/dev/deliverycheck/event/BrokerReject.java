package dev.deliverycheck.event;

import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.TopicPartition;

/** A batch was refused (out-of-order sequence, invalid or fenced epoch, failed KIP-890 verification, malformed...). */
public record BrokerReject(int broker, TopicPartition topicPartition, long producerId, short producerEpoch, int baseSequence, Errors error) implements Event {
}
