package dev.deliverycheck.event;

import dev.deliverycheck.protocol.TopicPartition;

/** On restart a partition was recovered: log truncated to its last valid batch, producer state rebuilt from snapshot plus log. */
public record BrokerRecoverPartition(int broker, TopicPartition topicPartition, long logEndOffset, int producersRestored, long truncatedBytes) implements Event {
}
