package dev.deliverycheck.producer;

import dev.deliverycheck.protocol.TopicPartition;

/**
 * Where a record landed: topic, partition and offset. The offset is -1 when it is not known:
 * with {@code acks=0}, for a duplicate the broker no longer has the offset of, and on failure.
 */
public record RecordMetadata(String topic, int partition, long offset) {
    public static final long UNKNOWN_OFFSET = -1L;

    public static RecordMetadata of(TopicPartition tp, long offset) {
        return new RecordMetadata(tp.topic(), tp.partition(), offset);
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    public boolean hasOffset() {
        return offset >= 0;
    }
}
