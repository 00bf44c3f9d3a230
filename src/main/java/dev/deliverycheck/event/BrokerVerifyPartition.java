package dev.deliverycheck.event;

import dev.deliverycheck.protocol.TopicPartition;

/** KIP-890 part 1: the leader checked with the coordinator that the partition is in an ongoing transaction of this id and epoch. */
public record BrokerVerifyPartition(int broker, TopicPartition topicPartition, long producerId, short producerEpoch, boolean verified) implements Event {
}
