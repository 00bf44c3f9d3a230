package dev.deliverycheck.event;

import dev.deliverycheck.protocol.TopicPartition;

/** The record's future completed with an error (retries or delivery timeout exhausted, fenced, buffer exhausted...). Indeterminate: the record may still be in the log. */
public record ProducerSendFailed(int producer, long recordId, TopicPartition topicPartition, String error) implements Event {
}
