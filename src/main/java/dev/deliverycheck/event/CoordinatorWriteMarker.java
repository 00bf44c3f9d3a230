package dev.deliverycheck.event;

import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.TopicPartition;

/** A COMMIT/ABORT control record was appended to a partition (by the partition's leader, on the coordinator's request). */
public record CoordinatorWriteMarker(int broker, TopicPartition topicPartition, long producerId, short producerEpoch, ControlType type, long offset) implements Event {
}
