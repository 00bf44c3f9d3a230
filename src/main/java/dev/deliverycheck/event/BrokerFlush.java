package dev.deliverycheck.event;

import dev.deliverycheck.protocol.TopicPartition;

/** The partition log was fsynced up to (excluding) {@code logEndOffset}: durable from here on. */
public record BrokerFlush(int broker, TopicPartition topicPartition, long logEndOffset) implements Event {
}
