package dev.deliverycheck.event;

import dev.deliverycheck.protocol.TopicPartition;

/** A batch matched one of the last 5 cached batches of its producer: nothing written, original offset returned. */
public record BrokerDuplicate(int broker, TopicPartition topicPartition, long producerId, short producerEpoch, int baseSequence, long originalOffset) implements Event {
}
